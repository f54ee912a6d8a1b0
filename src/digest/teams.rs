//! The digest as a Microsoft Teams message: an Adaptive Card 1.5 in the
//! envelope Teams Workflows webhooks take
//! (`{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{…}}]}`).

use serde_json::{json, Value};

use super::model::{Digest, PostDigest};

/// Buttons in one action set, at most: the Adaptive Cards host default
/// (`actions.maxActions`); a post offered on more networks gets several rows.
const MAX_ACTIONS: usize = 5;

/// Bytes of posts one card carries, at most: Teams refuses a message past
/// about 28 KB, and the envelope, header, teaser and actions need room too.
/// The posts past it are left to the hub, announced by a line.
const MAX_POST_BYTES: usize = 20 * 1024;

/// The webhook payload.
pub fn message(digest: &Digest) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card(digest),
        }],
    })
}

/// The Adaptive Card itself.
pub fn card(digest: &Digest) -> Value {
    let mut body = vec![
        json!({"type": "TextBlock", "text": digest.subject, "size": "Large", "weight": "Bolder", "wrap": true, "style": "heading"}),
        json!({"type": "TextBlock", "text": digest.string("digest_intro", &[("date", &digest.date(digest.day))]), "wrap": true, "isSubtle": true}),
    ];
    if let Some(impact) = &digest.impact {
        body.push(json!({"type": "TextBlock", "text": impact, "wrap": true, "weight": "Bolder"}));
    }
    let mut bytes = 0;
    let mut left_out = 0;
    for campaign in &digest.campaigns {
        let mut items = vec![json!({"type": "TextBlock", "text": campaign.title, "size": "Medium", "weight": "Bolder", "wrap": true})];
        for post in &campaign.posts {
            let post = post_items(digest, post);
            let size: usize = post.iter().map(|v| v.to_string().len()).sum();
            if left_out > 0 || bytes + size > MAX_POST_BYTES {
                left_out += 1;
                continue;
            }
            bytes += size;
            items.extend(post);
        }
        if items.len() > 1 {
            items.push(json!({"type": "ActionSet", "actions": [open_url(&digest.string("digest_campaign_page", &[]), &campaign.page)]}));
            body.push(json!({"type": "Container", "separator": true, "spacing": "Large", "items": items}));
        }
    }
    if left_out > 0 {
        body.push(
            json!({"type": "TextBlock", "text": digest.string("digest_more", &[("count", &left_out.to_string())]), "wrap": true, "weight": "Bolder"}),
        );
    }
    if let Some(teaser) = &digest.teaser {
        let from = digest.string("digest_coming_up_from", &[("date", &digest.date(teaser.starts))]);
        body.push(json!({
            "type": "Container", "separator": true, "spacing": "Large",
            "items": [
                {"type": "TextBlock", "text": digest.string("digest_coming_up", &[]), "weight": "Bolder", "wrap": true},
                {"type": "TextBlock", "text": format!("[{}]({}) ({from})", teaser.title, teaser.page), "wrap": true},
            ],
        }));
    }
    json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": body,
        "actions": [open_url(&digest.string("digest_open_hub", &[]), &digest.hub_url)],
        "msteams": {"width": "Full"},
    })
}

fn post_items(digest: &Digest, post: &PostDigest) -> Vec<Value> {
    let (today, others) = digest.labels(post);
    let labels: Vec<String> = today.into_iter().chain(others).collect();
    let shares: Vec<Value> = post.shares.iter().map(|(network, url)| open_url(network.name(), url)).collect();
    let mut items = vec![
        json!({"type": "TextBlock", "text": labels.join(" · "), "isSubtle": true, "size": "Small", "wrap": true, "spacing": "Medium"}),
        json!({"type": "TextBlock", "text": post.text, "wrap": true}),
        json!({"type": "TextBlock", "text": format!("{} {}", digest.string("digest_link", &[]), post.link), "size": "Small", "wrap": true}),
    ];
    items.extend(shares.chunks(MAX_ACTIONS).map(|row| json!({"type": "ActionSet", "actions": row})));
    items
}

fn open_url(title: &str, url: &str) -> Value {
    json!({"type": "Action.OpenUrl", "title": title, "url": url})
}
