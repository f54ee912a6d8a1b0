//! The digest as e-mail HTML, written for what Outlook, Gmail and Apple Mail
//! render: nested tables for layout, every style inline (Gmail drops most
//! `<style>` rules, Outlook's Word engine ignores floats and flexbox), system
//! fonts, no script, no image, no external resource. A small `<style>` only
//! darkens the background where the client honours `prefers-color-scheme`;
//! the inline colours read in both modes without it. Everything from the hub
//! is escaped.

use super::model::{CampaignDigest, Digest, PostDigest};
use crate::util::html::escape;

/// The system font stack: each platform's own interface font.
const FONTS: &str = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/// The whole HTML document of a digest.
pub fn html(digest: &Digest) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let lang = escape(&digest.lang);
    let title = escape(&digest.subject);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"supported-color-schemes\" content=\"light dark\">\n<title>{title}</title>\n\
         <style>@media (prefers-color-scheme: dark) {{ .page {{ background-color: #17191c !important; }} .card {{ background-color: #24272b !important; color: #eceef1 !important; }} .muted {{ color: #b8bec6 !important; }} .quote {{ background-color: #2e3237 !important; color: #eceef1 !important; }} .title {{ color: #eceef1 !important; }} .link {{ color: #9cc2ff !important; }} }}</style>\n\
         </head>\n"
    ));
    out.push_str(&format!(
        "<body style=\"margin:0;padding:0;background-color:#eef0f3;\">\n\
         <table role=\"presentation\" class=\"page\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background-color:#eef0f3;\">\n<tr><td align=\"center\" style=\"padding:24px 12px;\">\n\
         <table role=\"presentation\" class=\"card\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:600px;background-color:#ffffff;color:#1b1d21;font-family:{FONTS};font-size:16px;line-height:1.5;border-radius:8px;\">\n"
    ));
    let date = digest.date(digest.day);
    out.push_str(&row(&format!(
        "<p class=\"muted\" style=\"margin:0;color:#555b64;font-size:14px;\">{}</p>\n<h1 style=\"margin:4px 0 12px;font-size:24px;line-height:1.25;\">{title}</h1>\n<p style=\"margin:0;\">{}</p>",
        escape(&digest.hub_title),
        escape(&digest.string("digest_intro", &[("date", &date)]))
    )));
    if let Some(impact) = &digest.impact {
        out.push_str(&row(&format!(
            "<p class=\"impact\" style=\"margin:0;padding:12px 16px;background-color:#eef4fd;border-radius:6px;\">{}</p>",
            escape(impact)
        )));
    }
    for campaign in &digest.campaigns {
        out.push_str(&row(&campaign_html(digest, campaign)));
    }
    if let Some(teaser) = &digest.teaser {
        let description = teaser.description.as_deref().map(|d| format!("<br>{}", escape(d))).unwrap_or_default();
        out.push_str(&row(&format!(
            "<h2 style=\"margin:0 0 6px;font-size:18px;\">{}</h2>\n<p style=\"margin:0;\"><a class=\"link\" href=\"{}\" style=\"color:{accent};font-weight:bold;\">{}</a> <span class=\"muted\" style=\"color:#555b64;\">({})</span>{description}</p>",
            escape(&digest.string("digest_coming_up", &[])),
            escape(&teaser.page),
            escape(&teaser.title),
            escape(&digest.string("digest_coming_up_from", &[("date", &digest.date(teaser.starts))])),
            accent = escape(&digest.accent),
        )));
    }
    out.push_str(&row(&format!(
        "{}\n<p class=\"muted\" style=\"margin:16px 0 0;color:#555b64;font-size:13px;\">{}</p>",
        button(&digest.hub_url, &digest.string("digest_open_hub", &[]), &digest.accent),
        escape(&digest.string("digest_footer", &[("hub", &digest.hub_title)]))
    )));
    out.push_str("</table>\n</td></tr>\n</table>\n</body>\n</html>\n");
    out
}

/// One row of the card.
fn row(inner: &str) -> String {
    format!("<tr><td style=\"padding:16px 24px;border-bottom:1px solid #d9dde3;\">\n{inner}\n</td></tr>\n")
}

fn campaign_html(digest: &Digest, campaign: &CampaignDigest) -> String {
    let mut out = format!(
        "<h2 style=\"margin:0 0 4px;font-size:20px;line-height:1.3;\"><a class=\"title\" href=\"{}\" style=\"color:#1b1d21;text-decoration:none;\">{}</a></h2>\n",
        escape(&campaign.page),
        escape(&campaign.title)
    );
    if let Some(description) = &campaign.description {
        out.push_str(&format!("<p class=\"muted\" style=\"margin:0 0 8px;color:#555b64;font-size:14px;\">{}</p>\n", escape(description)));
    }
    for post in &campaign.posts {
        out.push_str(&post_html(digest, post));
    }
    out.push_str(&format!(
        "<p style=\"margin:8px 0 0;font-size:14px;\"><a class=\"link\" href=\"{}\" style=\"color:{};\">{}</a></p>",
        escape(&campaign.page),
        escape(&digest.accent),
        escape(&digest.string("digest_campaign_page", &[]))
    ));
    out
}

fn post_html(digest: &Digest, post: &PostDigest) -> String {
    let (today, others) = digest.labels(post);
    let today = today.map(|label| format!("<strong style=\"color:#0b7a3e;\">{}</strong>", escape(&label)));
    let labels: Vec<String> = today.into_iter().chain(others.iter().map(|label| escape(label))).collect();
    let text = escape(&post.text).replace('\n', "<br>\n");
    let buttons: Vec<String> = post.shares.iter().map(|(network, url)| button(url, network.name(), &digest.accent)).collect();
    format!(
        "<p class=\"muted\" style=\"margin:12px 0 4px;color:#555b64;font-size:13px;\">{}</p>\n\
         <div class=\"quote\" style=\"margin:0 0 8px;padding:12px 14px;background-color:#f3f5f8;color:#1b1d21;border-left:4px solid {accent};border-radius:4px;\">{text}</div>\n\
         <p style=\"margin:0 0 6px;font-size:14px;\">{} <a class=\"link\" href=\"{link}\" style=\"color:{accent};word-break:break-all;\">{link}</a></p>\n\
         <p style=\"margin:0 0 4px;font-size:14px;\">{}</p>\n<p style=\"margin:0 0 8px;line-height:2.4;\">{}</p>\n",
        labels.join(" · "),
        escape(&digest.string("digest_link", &[])),
        escape(&digest.string("digest_share_on", &[])),
        buttons.join(" "),
        accent = escape(&digest.accent),
        link = escape(&post.link),
    )
}

/// A link drawn as a button (padding on an inline-block link: Outlook shows a plain link, which still works).
fn button(url: &str, label: &str, accent: &str) -> String {
    format!(
        "<a href=\"{}\" style=\"display:inline-block;padding:4px 12px;background-color:{};color:#ffffff;border-radius:4px;text-decoration:none;font-size:14px;font-weight:bold;line-height:1.6;\">{}</a>",
        escape(url),
        escape(accent),
        escape(label)
    )
}
