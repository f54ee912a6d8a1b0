//! The digest as a Slack message for an incoming webhook: Block Kit blocks
//! with a plain `text` fallback for notifications. Slack takes at most 50
//! blocks in a message, 3 000 characters in a section's text, 75 in a
//! button's and 3 000 in its URL (api.slack.com/reference/block-kit); a digest
//! past those limits ends with a pointer to the hub.

use serde_json::{json, Value};

use super::model::{Digest, PostDigest};

/// Blocks in one Slack message, at most.
pub const MAX_BLOCKS: usize = 50;
const MAX_SECTION_TEXT: usize = 3000;
const MAX_URL: usize = 3000;

/// The webhook payload.
pub fn message(digest: &Digest) -> Value {
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": truncate(&digest.subject, 150), "emoji": false}}),
        section(&escape(&digest.string("digest_intro", &[("date", &digest.date(digest.day))]))),
    ];
    if let Some(impact) = &digest.impact {
        blocks.push(section(&escape(impact)));
    }
    let mut posts: Vec<Vec<Value>> = Vec::new();
    for campaign in &digest.campaigns {
        for (i, post) in campaign.posts.iter().enumerate() {
            let mut group = Vec::new();
            if i == 0 {
                group.push(json!({"type": "divider"}));
                group.push(section(&format!("*<{}|{}>*", campaign.page, escape(&campaign.title))));
            }
            group.extend(post_blocks(digest, post));
            posts.push(group);
        }
    }
    let mut closing = Vec::new();
    if let Some(teaser) = &digest.teaser {
        let from = digest.string("digest_coming_up_from", &[("date", &digest.date(teaser.starts))]);
        closing.push(json!({"type": "divider"}));
        closing.push(section(&format!(
            "*{}* · <{}|{}> ({})",
            escape(&digest.string("digest_coming_up", &[])),
            teaser.page,
            escape(&teaser.title),
            escape(&from)
        )));
    }
    closing.push(json!({"type": "actions", "elements": [button(&digest.string("digest_open_hub", &[]), &digest.hub_url)]}));
    let total = posts.len();
    let mut shown = 0;
    for group in posts {
        // Room for the closing blocks and the "more on the hub" line.
        if blocks.len() + group.len() + closing.len() + 1 > MAX_BLOCKS {
            break;
        }
        blocks.extend(group);
        shown += 1;
    }
    if shown < total {
        blocks.push(section(&escape(&digest.string("digest_more", &[("count", &(total - shown).to_string())]))));
    }
    blocks.extend(closing);
    json!({"text": format!("{} · {}", digest.subject, digest.hub_title), "blocks": blocks})
}

fn post_blocks(digest: &Digest, post: &PostDigest) -> Vec<Value> {
    let (today, others) = digest.labels(post);
    let today = today.map(|label| format!("*{}*", escape(&label)));
    let labels: Vec<String> = today.into_iter().chain(others.iter().map(|label| escape(label))).collect();
    let quoted: String = escape(&post.text).lines().map(|l| format!("> {l}\n")).collect();
    let buttons: Vec<Value> = post.shares.iter().filter(|(_, url)| url.len() <= MAX_URL).map(|(network, url)| button(network.name(), url)).collect();
    let mut blocks = vec![
        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": labels.join(" · ")}]}),
        section(&format!("{quoted}{} {}", escape(&digest.string("digest_link", &[])), post.link)),
    ];
    if !buttons.is_empty() {
        blocks.push(json!({"type": "actions", "elements": buttons}));
    }
    blocks
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}})
}

fn button(label: &str, url: &str) -> Value {
    json!({"type": "button", "text": {"type": "plain_text", "text": truncate(label, 75)}, "url": url})
}

/// Slack's mrkdwn escapes only these three (api.slack.com/reference/surfaces/formatting#escaping).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mrkdwn_control_characters_are_escaped() {
        assert_eq!(escape("<b> & co"), "&lt;b&gt; &amp; co");
    }

    #[test]
    fn long_texts_are_cut_to_the_limit() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
