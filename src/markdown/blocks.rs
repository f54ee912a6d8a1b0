//! The fenced blocks with a meaning of their own: code, `quiz` and `share`.
//! (`do` and `dont` are Markdown inside a card, see `State::rule_card`.)

use super::{Env, Highlighter, Labels};
use crate::content::Document;
use crate::util::html::escape;

/// How a quiz is written, shown with quiz errors.
pub const QUIZ_HELP: &str = "a quiz is one `? question` line, choices written `- [ ] wrong` or `- [x] right`, \
and `> explanation` lines";

/// A highlighted (or, for an unknown language, escaped) code block.
pub fn code(lang: &str, code: &str, highlighter: &Highlighter) -> String {
    let highlighted = if lang.is_empty() { None } else { highlighter.highlight(lang, code) };
    let body = match highlighted {
        Some(html) => html.to_string(),
        None => escape(code),
    };
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        let lang = escape(lang);
        format!("<pre class=\"code z-code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{body}</code></pre>\n")
    }
}

/// Renders a quiz; on error, the 1-based line inside the block and a message.
pub fn quiz(text: &str, number: usize, labels: &Labels, inline: &mut dyn FnMut(&str) -> String) -> Result<String, (usize, String)> {
    let mut question: Option<String> = None;
    let mut choices: Vec<(bool, String)> = Vec::new();
    let mut explanation: Vec<&str> = Vec::new();
    let mut last_line = 1;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        last_line = n;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(q) = trimmed.strip_prefix('?') {
            if question.is_some() {
                return Err((n, "a quiz has one question; start another ```quiz block".into()));
            }
            question = Some(q.trim().to_string());
        } else if let Some(rest) = trimmed.strip_prefix("- [") {
            let (mark, choice) = rest.split_at(rest.find(']').ok_or((n, "a choice is written `- [ ] text` or `- [x] text`".to_string()))?);
            let right = match mark.trim() {
                "" => false,
                "x" | "X" => true,
                other => return Err((n, format!("`[{other}]` is neither `[ ]` nor `[x]`"))),
            };
            let choice = choice[1..].trim();
            if choice.is_empty() {
                return Err((n, "this choice has no text".into()));
            }
            choices.push((right, choice.to_string()));
        } else if let Some(e) = trimmed.strip_prefix('>') {
            explanation.push(e.trim());
        } else {
            return Err((n, format!("unexpected line in a quiz: `{trimmed}`")));
        }
    }
    let question = question.ok_or((1, "this quiz has no `? question` line".to_string()))?;
    if choices.len() < 2 {
        return Err((last_line, "a quiz needs at least two choices".into()));
    }
    if !choices.iter().any(|(right, _)| *right) {
        return Err((last_line, "no choice is marked right with `[x]`".into()));
    }
    let several = choices.iter().filter(|(right, _)| *right).count() > 1;
    let input_type = if several { "checkbox" } else { "radio" };
    let mut html = format!(
        "<form class=\"quiz\" id=\"quiz-{number}\" data-quiz=\"{number}\" action=\"#quiz-{number}\">\n<fieldset>\n<legend>{}</legend>\n",
        inline(&question)
    );
    for (i, (right, choice)) in choices.iter().enumerate() {
        let correct = if *right { " data-correct" } else { "" };
        html.push_str(&format!(
            "<label class=\"quiz-choice\"><input type=\"{input_type}\" name=\"quiz-{number}\" value=\"{i}\"{correct}> {}</label>\n",
            inline(choice)
        ));
    }
    let answers: Vec<String> = choices.iter().filter(|(r, _)| *r).map(|(_, c)| inline(c)).collect();
    html.push_str(&format!(
        "</fieldset>\n<button type=\"submit\">{}</button>\n<p class=\"quiz-feedback\" aria-live=\"polite\"></p>\n\
         <details class=\"quiz-explanation\"><summary>{}</summary>\n<p><strong>{}</strong> {}</p>\n",
        escape(&labels.quiz_check),
        escape(&labels.quiz_explanation),
        escape(&labels.quiz_answer),
        answers.join(" ; "),
    ));
    if !explanation.is_empty() {
        html.push_str(&format!("<p>{}</p>\n", inline(&explanation.join(" "))));
    }
    html.push_str("</details>\n</form>\n");
    Ok(html)
}

/// A share card for one snippet of a campaign: `campaign: <id>` and `snippet: <id>` lines.
pub fn share(text: &str, doc: &Document, env: &Env, labels: &Labels) -> Result<String, String> {
    let mut campaign = None;
    let mut snippet = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(':') {
            Some(("campaign", v)) => campaign = Some(v.trim().trim_matches('"')),
            Some(("snippet", v)) => snippet = Some(v.trim().trim_matches('"')),
            _ => return Err(format!("unexpected line in a share block: `{line}`")),
        }
    }
    let campaign = campaign.ok_or("this share block has no `campaign:` line")?;
    let snippet = snippet.ok_or("this share block has no `snippet:` line")?;
    let content = env.content;
    let candidates: Vec<usize> =
        content.docs.iter().enumerate().filter(|(_, d)| d.campaign.as_ref().is_some_and(|c| c.id == campaign)).map(|(i, _)| i).collect();
    let page = candidates.iter().copied().find(|&i| content.docs[i].lang == doc.lang).or_else(|| candidates.first().copied());
    let Some(page) = page else {
        // The campaign may be in a file whose own error is reported, or under embargo.
        if !content.unreadable.is_empty() || content.held_back.campaigns.contains(campaign) {
            return Ok(String::new());
        }
        return Err(format!("no campaign with id `{campaign}`"));
    };
    let page = &content.docs[page];
    // A post not yet due is in no output: the block shows nothing until its day.
    if content.held_back.snippets.contains(&(campaign.to_string(), snippet.to_string())) {
        return Ok(String::new());
    }
    let found = page
        .campaign
        .as_ref()
        .and_then(|c| c.snippets.iter().find(|s| s.id == snippet))
        .ok_or_else(|| format!("campaign `{campaign}` has no snippet `{snippet}`"))?;
    let text = found.text.replace("{link}", "").trim().to_string();
    Ok(format!(
        "<aside class=\"share-card\" data-campaign=\"{}\" data-snippet=\"{}\">\n<p class=\"share-text\">{}</p>\n<p><a href=\"{}#snippet-{}\">{}</a></p>\n</aside>\n",
        escape(campaign),
        escape(snippet),
        escape(&text),
        env.base_url.url(&page.path),
        escape(snippet),
        escape(&labels.share_open_campaign),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels { quiz_check: "Check".into(), quiz_explanation: "Why".into(), quiz_answer: "Answer:".into(), ..Labels::default() }
    }

    #[test]
    fn quiz_renders_radio_choices_and_explanation_in_details() {
        let html =
            quiz("? May I share results early?\n- [ ] Yes\n- [x] No, never\n> Inside information.\n", 1, &labels(), &mut |t| escape(t)).unwrap();
        assert!(html.contains("<legend>May I share results early?</legend>"));
        assert_eq!(html.matches("type=\"radio\"").count(), 2);
        assert_eq!(html.matches("data-correct").count(), 1);
        assert!(html.contains("<details class=\"quiz-explanation\"><summary>Why</summary>"));
        assert!(html.contains("Inside information."));
    }

    #[test]
    fn several_right_answers_make_checkboxes() {
        let html = quiz("? Q\n- [x] a\n- [x] b\n- [ ] c\n", 2, &labels(), &mut |t| escape(t)).unwrap();
        assert_eq!(html.matches("type=\"checkbox\"").count(), 3);
    }

    #[test]
    fn quiz_errors_name_the_line() {
        let e = quiz("? Q\n- [ ] a\n- [ ] b\n", 1, &labels(), &mut |t| escape(t)).unwrap_err();
        assert_eq!(e.1, "no choice is marked right with `[x]`");
        let e = quiz("? Q\n- [x] a\nwhat\n", 1, &labels(), &mut |t| escape(t)).unwrap_err();
        assert_eq!(e.0, 3);
        let e = quiz("- [x] a\n- [ ] b\n", 1, &labels(), &mut |t| escape(t)).unwrap_err();
        assert!(e.1.contains("no `? question`"));
    }

    #[test]
    fn code_in_unknown_language_is_escaped() {
        let html = code("nope", "<b>", &Highlighter::new("InspiredGitHub", "base16-ocean.dark").unwrap());
        assert!(html.contains("&lt;b&gt;"));
    }
}
