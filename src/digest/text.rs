//! The digest as plain text: the e-mail's text/plain part, which reads on its
//! own (every link written out in full, posts set apart by their labels).

use super::model::Digest;

/// The whole plain-text digest.
pub fn text(digest: &Digest) -> String {
    let mut out = String::new();
    let heading = format!("{} · {}", digest.subject, digest.hub_title);
    out.push_str(&format!("{heading}\n{}\n\n", "=".repeat(heading.chars().count())));
    out.push_str(&digest.string("digest_intro", &[("date", &digest.date(digest.day))]));
    out.push_str("\n\n");
    if let Some(impact) = &digest.impact {
        out.push_str(&format!("{impact}\n\n"));
    }
    for campaign in &digest.campaigns {
        out.push_str(&format!("{}\n{}\n", campaign.title, "-".repeat(campaign.title.chars().count())));
        if let Some(description) = &campaign.description {
            out.push_str(&format!("{description}\n"));
        }
        for post in &campaign.posts {
            let (today, others) = digest.labels(post);
            let labels: Vec<String> = today.into_iter().chain(others).collect();
            out.push_str(&format!("\n[{}]\n\n", labels.join(" · ")));
            for line in post.text.lines() {
                out.push_str(&format!("    {line}\n"));
            }
            out.push_str(&format!("\n{} {}\n", digest.string("digest_link", &[]), post.link));
            out.push_str(&format!("{}\n", digest.string("digest_share_on", &[])));
            for (network, url) in &post.shares {
                out.push_str(&format!("  - {}: {url}\n", network.name()));
            }
        }
        out.push_str(&format!("\n{}: {}\n\n", digest.string("digest_campaign_page", &[]), campaign.page));
    }
    if let Some(teaser) = &digest.teaser {
        out.push_str(&format!("{}\n", digest.string("digest_coming_up", &[])));
        out.push_str(&format!("{} ({})\n", teaser.title, digest.string("digest_coming_up_from", &[("date", &digest.date(teaser.starts))])));
        if let Some(description) = &teaser.description {
            out.push_str(&format!("{description}\n"));
        }
        out.push_str(&format!("{}\n\n", teaser.page));
    }
    out.push_str(&format!(
        "{}\n{}\n\n-- \n{}\n",
        digest.string("digest_open_hub", &[]),
        digest.hub_url,
        digest.string("digest_footer", &[("hub", &digest.hub_title)])
    ));
    out
}
