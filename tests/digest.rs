//! `chorus digest`: the day's posts as an e-mail, HTML, text, a Teams card and
//! a Slack message; sending over a real SMTP server (Python's aiosmtpd),
//! posting to a local HTTP server, Microsoft's Adaptive Cards parser and
//! headless Chromium on the e-mail HTML.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{strict, Hub, Run};
use mail_parser::{MessageParser, MimeHeaders};

/// Gmail clips a message past 102 KB; the digest stays well under.
const MAX_HTML: usize = 100 * 1024;

fn digest(hub: &Hub, args: &[&str]) -> Run {
    let mut all = vec!["digest"];
    all.extend_from_slice(args);
    hub.chorus(&all)
}

/// An error message as one line: miette wraps it, with `|` in the margin.
fn flat(stderr: &str) -> String {
    stderr.split_whitespace().filter(|w| *w != "|").collect::<Vec<_>>().join(" ")
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
}

fn json(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&read(dir, name)).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// What e-mail clients need of the HTML: no script, no external resource,
/// inline styles on a table layout, alt text on any image, under Gmail's clip.
fn assert_email_html(html: &str) {
    assert!(html.len() < MAX_HTML, "the e-mail HTML is {} bytes", html.len());
    let lower = html.to_lowercase();
    for banned in ["<script", "<link", "@import", "@font-face", "url(", "<iframe", "<form", "javascript:", "src=\"http"] {
        assert!(!lower.contains(banned), "the e-mail HTML has `{banned}`");
    }
    assert!(lower.contains("<table role=\"presentation\""), "a table layout");
    assert!(lower.contains("prefers-color-scheme: dark") && lower.contains("name=\"color-scheme\" content=\"light dark\""));
    for (i, _) in lower.match_indices("<img") {
        let tag = &lower[i..i + lower[i..].find('>').unwrap()];
        assert!(tag.contains(" alt=\""), "an image without alt text: {tag}");
    }
    assert!(lower.contains("font-family:-apple-system"), "system fonts");
}

#[test]
fn sample_hub_digest_is_written_per_language_and_parses_as_mime() {
    let hub = Hub::sample();
    let run = digest(&hub, &["--now", "2026-12-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = hub.path(".chorus/digest");
    for lang in ["fr", "en"] {
        for name in ["digest-{}.eml", "digest-{}.html", "digest-{}.txt", "teams-{}.json", "slack-{}.json"] {
            let name = name.replace("{}", &format!("2026-12-02.{lang}"));
            assert!(dir.join(&name).is_file(), "{name} missing: {}", run.stdout);
        }
        let raw = std::fs::read(dir.join(format!("digest-2026-12-02.{lang}.eml"))).unwrap();
        let message = MessageParser::default().parse(&raw).expect("the .eml parses");
        let root = message.root_part();
        let kind = root.content_type().expect("a content type");
        assert_eq!((kind.ctype(), kind.subtype()), ("multipart", Some("alternative")));
        assert_eq!(message.text_body_count(), 1);
        assert_eq!(message.html_body_count(), 1);
        for part in [message.text_part(0).unwrap(), message.html_part(0).unwrap()] {
            assert_eq!(part.content_type().and_then(|t| t.attribute("charset")).map(str::to_lowercase).as_deref(), Some("utf-8"));
        }
        let subject = if lang == "fr" { "À partager aujourd'hui" } else { "To share today" };
        assert_eq!(message.subject(), Some(subject));
        let from = message.from().and_then(|a| a.first()).unwrap();
        assert_eq!((from.name(), from.address()), (Some("Équipe communication"), Some("social@acme.example")));
        assert_eq!(message.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("ambassadeurs@acme.example"));
        let id = message.message_id().unwrap();
        assert!(id.starts_with(&format!("digest-2026-12-02-{lang}-")) && id.ends_with("@hub.intranet.example"), "{id}");
        assert!(message.date().is_some());
        let unsubscribe = message.header_raw("List-Unsubscribe").unwrap();
        assert!(unsubscribe.trim().starts_with("<mailto:social@acme.example?subject="), "{unsubscribe}");

        let html = message.body_html(0).unwrap();
        assert_eq!(html.replace("\r\n", "\n"), read(&dir, &format!("digest-2026-12-02.{lang}.html")), "the .html file is the e-mail's HTML part");
        assert_email_html(&html);
        eprintln!("e-mail HTML of the sample hub ({lang}): {} bytes", html.len());
        let text = message.body_text(0).unwrap();
        // The text part reads on its own: the posts with their tracked links, the hub's address.
        let home = if lang == "fr" { "https://hub.intranet.example/" } else { "https://hub.intranet.example/en/" };
        assert!(text.contains(home), "{text}");
        assert!(text.contains("https://go.acme.example/c/"));
        assert!(text.contains("https://x.com/intent/post?text="));
        assert!(!text.contains('<'), "no markup in the text part");

        let teams = json(&dir, &format!("teams-2026-12-02.{lang}.json"));
        assert_eq!(teams["type"], "message");
        assert_eq!(teams["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
        assert_eq!(teams["attachments"][0]["content"]["version"], "1.5");
        let slack = json(&dir, &format!("slack-2026-12-02.{lang}.json"));
        assert!(slack["text"].as_str().unwrap().starts_with(subject));
        let blocks = slack["blocks"].as_array().unwrap();
        assert!(!blocks.is_empty() && blocks.len() <= 50, "{} blocks", blocks.len());
    }
}

#[test]
fn phases_starting_today_come_first_and_embargoed_campaigns_stay_out() {
    let hub = Hub::copy("digest");
    let run = digest(&hub, &["--now", "2027-03-06", "--output", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = hub.path("out");
    // Only French has campaigns: no English files.
    assert!(!dir.join("digest-2027-03-06.en.eml").exists());
    let text = read(&dir, "digest-2027-03-06.fr.txt");
    let html = read(&dir, "digest-2027-03-06.fr.html");
    assert_email_html(&html);
    assert!(text.contains("[Nouveau aujourd'hui · Phase\u{a0}: launch · À partager jusqu'au 10 mars 2027]"), "{text}");
    assert!(!text.contains("Bientôt chez nous"), "the teasing phase ended on 5 March");
    assert!(!text.contains("Dernier rappel"), "the reminder starts on 11 March");
    for file in
        ["digest-2027-03-06.fr.eml", "digest-2027-03-06.fr.html", "digest-2027-03-06.fr.txt", "teams-2027-03-06.fr.json", "slack-2027-03-06.fr.json"]
    {
        let body = read(&dir, file);
        assert!(!body.contains("confidentiel") && !body.contains("annonce"), "{file} shows the embargoed campaign");
    }
    // The next campaign that is not embargoed is the teaser, and the hub link is there.
    assert!(text.contains("Webinaire réparation (À partir du 1er avril 2027)"), "{text}");
    assert!(text.contains("https://hub.test.example/hub/\n"), "{text}");
    // Everything from the hub is escaped in the HTML.
    assert!(html.contains("Salon de l&#39;emploi &lt;2027&gt; &amp; co"), "escaped title");
    assert!(html.contains("C&#39;est parti &lt;b&gt;&amp; bienvenue&lt;/b&gt;"), "escaped post");
    assert!(!html.contains("<b>&"));
    // A phase starting later in the campaign shows in its first days.
    let teasing = digest(&hub, &["--now", "2027-03-03", "--output", "out"]);
    assert_eq!(teasing.code, 0, "{}", teasing.stderr);
    assert!(read(&dir, "digest-2027-03-03.fr.txt").contains("Bientôt chez nous"));
}

#[test]
fn the_featured_post_turns_with_the_day() {
    let hub = Hub::copy("digest");
    let featured = |day: &str| {
        let run = digest(&hub, &["--now", day, "--output", "out"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let slack = json(&hub.path("out"), &format!("slack-{day}.fr.json"));
        let first =
            slack["blocks"].as_array().unwrap().iter().find(|b| b["type"] == "section" && b["text"]["text"].as_str().unwrap().starts_with("> "));
        first.unwrap()["text"]["text"].as_str().unwrap().to_string()
    };
    let (a, b) = (featured("2027-03-07"), featured("2027-03-08"));
    assert_ne!(a, b, "two days in a row feature different variants");
    assert_eq!(featured("2027-03-07"), a, "the same day features the same variant");
    assert_eq!(featured("2027-03-09"), a, "two variants alternate");
}

#[test]
fn a_long_slack_digest_stops_at_50_blocks_and_points_to_the_hub() {
    let hub = Hub::copy("digest");
    let snippets: String = (1..=30).map(|i| format!("  - id: post-{i}\n    text: \"Publication numéro {i}. {{link}}\"\n")).collect();
    hub.write(
        "content/campagnes/longue.md",
        &format!("---\ntitle: \"Longue\"\ndate: 2026-11-01\nurl: \"https://www.acme.example/longue\"\ncampaign: longue\nstarts: 2027-05-01\nends: 2027-05-10\nnetworks: [linkedin, x, bluesky, email]\nsnippets:\n{snippets}---\nTrente posts.\n"),
    );
    let run = digest(&hub, &["--now", "2027-05-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = hub.path(".chorus/digest");
    let slack = json(&dir, "slack-2027-05-02.fr.json");
    let blocks = slack["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 50, "{} blocks", blocks.len());
    let more =
        blocks.iter().filter_map(|b| b["text"]["text"].as_str()).find(|t| t.starts_with("Et ") && t.ends_with(" autres publications sur le hub."));
    assert!(more.is_some(), "the last posts are announced as on the hub");
    // The e-mail carries all thirty; the Teams card stays under Teams' 28 KB and says how many it left out.
    assert_eq!(read(&dir, "digest-2027-05-02.fr.txt").matches("Publication numéro").count(), 30);
    let teams = json(&dir, "teams-2027-05-02.fr.json");
    let compact = teams.to_string();
    assert!(compact.len() < 28 * 1024, "the Teams message is {} bytes", compact.len());
    let shown = compact.matches("\"text\":\"Publication numéro").count();
    assert!(shown > 0 && shown < 30, "{shown} posts shown");
    assert!(compact.contains(&format!("Et {} autres publications sur le hub.", 30 - shown)), "{shown} shown");
}

#[test]
fn nothing_to_share_writes_nothing_and_succeeds() {
    let hub = Hub::copy("digest");
    let run = digest(&hub, &["--now", "2027-02-01", "--send", "--post"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Nothing to share on 2027-02-01"), "{}", run.stdout);
    assert!(!hub.path(".chorus").exists(), "nothing written");
}

#[test]
fn hub_yaml_subject_and_bad_addresses() {
    let hub = Hub::copy("digest");
    let yaml = hub.read("hub.yaml");
    hub.write("hub.yaml", &format!("{yaml}  subject: \"Cette semaine\"\n"));
    let run = digest(&hub, &["--now", "2027-03-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(hub.read(".chorus/digest/digest-2027-03-06.fr.eml").contains("Subject: Cette semaine"));
    hub.write("hub.yaml", &yaml.replace("tous@acme.example", "tous-at-acme"));
    let run = digest(&hub, &["--now", "2027-03-06"]);
    assert_eq!(run.code, 1);
    let message = flat(&run.stderr);
    assert!(message.contains("hub.yaml:12:") && message.contains("`tous-at-acme` is not an e-mail address"), "{message}");
}

// --- SMTP -----------------------------------------------------------------

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether Python's aiosmtpd is installed (`pip install aiosmtpd`, as .ci/run does).
fn has_aiosmtpd() -> bool {
    let ok = Command::new("python3").args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(!strict(), "CHORUS_TEST_STRICT=1 and no aiosmtpd: python3 -m pip install aiosmtpd");
        eprintln!("skipped: no aiosmtpd (python3 -m pip install aiosmtpd)");
    }
    ok
}

/// A real SMTP server on a free port, killed on drop.
struct SmtpServer {
    child: Child,
    port: u16,
}

impl SmtpServer {
    /// `python3 -m aiosmtpd` with `handler` (a `module.Class` expression) and its argument.
    fn start(script_dir: Option<&Path>, handler: &str, args: &[&str]) -> SmtpServer {
        let port = free_port();
        let mut command = Command::new("python3");
        if let Some(dir) = script_dir {
            command.env("PYTHONPATH", dir);
        }
        let child = command
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", handler])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer { child, port }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chorus_with_env(hub: &Hub, args: &[&str], env: &[(&str, String)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .arg("digest")
        .args(args)
        .arg("--root")
        .arg(hub.root())
        .args(["--color", "never"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn maildir_messages(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("new")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

#[test]
fn digest_is_sent_over_smtp_once_per_day() {
    if !has_aiosmtpd() {
        return;
    }
    let maildir = tempfile::tempdir().unwrap();
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir(maildir.path().join(sub)).unwrap();
    }
    let server = SmtpServer::start(None, "aiosmtpd.handlers.Mailbox", &[maildir.path().to_str().unwrap()]);
    let hub = Hub::copy("digest");
    let env = [("CHORUS_SMTP_URL", format!("smtp://127.0.0.1:{}", server.port))];
    let run = chorus_with_env(&hub, &["--now", "2027-03-06", "--send", "--to", "Léa <lea@acme.example>"], &env);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Sent (fr, e-mail)"), "{}", run.stdout);
    let messages = maildir_messages(maildir.path());
    assert_eq!(messages.len(), 1, "one message for the one language with posts");
    let raw = std::fs::read(&messages[0]).unwrap();
    let message = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(message.subject(), Some("À partager aujourd'hui"));
    assert_eq!(message.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("lea@acme.example"));
    assert!(message.body_html(0).unwrap().contains("Webinaire réparation"));
    let record = json(&hub.path(".chorus/digest"), "sent-2027-03-06.json");
    assert_eq!(record["sent"][0]["channel"], "email");
    assert_eq!(record["sent"][0]["lang"], "fr");

    let again = chorus_with_env(&hub, &["--now", "2027-03-06", "--send", "--to", "lea@acme.example"], &env);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("Already sent (fr, e-mail)"), "{}", again.stdout);
    assert_eq!(maildir_messages(maildir.path()).len(), 1, "a retry the same day sends nothing twice");
}

#[test]
fn smtp_failures_name_the_server_answer() {
    if !has_aiosmtpd() {
        return;
    }
    let hub = Hub::copy("digest");
    // Nothing listening.
    let closed = free_port();
    let run = chorus_with_env(&hub, &["--now", "2027-03-06", "--send"], &[("CHORUS_SMTP_URL", format!("smtp://127.0.0.1:{closed}"))]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let message = flat(&run.stderr);
    assert!(message.contains("sending the fr digest by SMTP failed"), "{message}");
    assert!(message.to_lowercase().contains("connection refused"), "{message}");
    // A server that refuses the recipient: its code and text are in the error.
    let scripts = tempfile::tempdir().unwrap();
    std::fs::write(
        scripts.path().join("refuse.py"),
        "class Refuse:\n    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):\n        return '550 5.7.1 Relaying denied for ' + address\n",
    )
    .unwrap();
    let server = SmtpServer::start(Some(scripts.path()), "refuse.Refuse", &[]);
    let run = chorus_with_env(&hub, &["--now", "2027-03-06", "--send"], &[("CHORUS_SMTP_URL", format!("smtp://127.0.0.1:{}", server.port))]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let message = flat(&run.stderr);
    assert!(message.contains("permanent error (550)") && message.contains("Relaying denied for tous@acme.example"), "{message}");
    assert!(!hub.path(".chorus/digest/sent-2027-03-06.json").exists(), "nothing recorded as sent");
    // smtps:// speaks TLS from the first byte: a plain SMTP server is a TLS failure, not a plain-text send.
    let run = chorus_with_env(&hub, &["--now", "2027-03-06", "--send"], &[("CHORUS_SMTP_URL", format!("smtps://127.0.0.1:{}", server.port))]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let message = flat(&run.stderr);
    assert!(message.contains("sending the fr digest by SMTP failed") && message.contains("corrupt message"), "{message}");
    assert!(message.contains("the server does not speak TLS on this port"), "{message}");
}

// --- Webhooks -------------------------------------------------------------

/// A request a webhook server received: its path and body.
type Received = (String, String);

/// An HTTP server on a free port answering `/teams` and `/slack` with the
/// given status and body, and handing each request it gets to the channel.
fn webhook_server(teams: (u16, &'static str), slack: (u16, &'static str)) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let mut length = 0;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let (status, answer) = if path == "/teams" { teams } else { slack };
            let _ = tx.send((path, String::from_utf8_lossy(&body).into_owned()));
            let mut out = &stream;
            let _ = write!(
                out,
                "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (base, rx)
}

fn webhooks(base: &str) -> [(&'static str, String); 2] {
    [("CHORUS_TEAMS_WEBHOOK", format!("{base}/teams")), ("CHORUS_SLACK_WEBHOOK", format!("{base}/slack"))]
}

#[test]
fn teams_and_slack_payloads_are_posted_and_a_failure_is_retried_alone() {
    let hub = Hub::copy("digest");
    let (base, received) = webhook_server((202, ""), (500, "invalid_blocks: the blocks did not pass"));
    let run = chorus_with_env(&hub, &["--now", "2027-03-06", "--post"], &webhooks(&base));
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("Sent (fr, Teams)"), "{}", run.stdout);
    let message = flat(&run.stderr);
    assert!(message.contains("posting the fr digest to Slack failed: the server answered 500"), "{message}");
    assert!(message.contains("invalid_blocks: the blocks did not pass"), "the body is quoted: {message}");
    let got: Vec<Received> = received.try_iter().collect();
    assert_eq!(got.len(), 2);
    let teams: serde_json::Value = serde_json::from_str(&got.iter().find(|(p, _)| p == "/teams").unwrap().1).unwrap();
    assert_eq!(teams, json(&hub.path(".chorus/digest"), "teams-2027-03-06.fr.json"), "the Teams file is what was posted");
    assert_eq!(teams["attachments"][0]["content"]["type"], "AdaptiveCard");
    let slack: serde_json::Value = serde_json::from_str(&got.iter().find(|(p, _)| p == "/slack").unwrap().1).unwrap();
    assert!(slack["blocks"].as_array().is_some_and(|b| b.len() <= 50));

    // The retry posts only to Slack.
    let (base, received) = webhook_server((202, ""), (200, "ok"));
    let run = chorus_with_env(&hub, &["--now", "2027-03-06", "--post"], &webhooks(&base));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Already sent (fr, Teams)") && run.stdout.contains("Sent (fr, Slack)"), "{}", run.stdout);
    let got: Vec<Received> = received.try_iter().collect();
    assert_eq!(got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["/slack"]);
}

// --- Adaptive Cards and Chromium ------------------------------------------

fn a11y_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y")
}

#[test]
fn teams_card_passes_microsofts_adaptive_cards_parser() {
    let hub = Hub::copy("digest");
    let run = digest(&hub, &["--now", "2027-03-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sample = Hub::sample();
    let run = digest(&sample, &["--now", "2026-12-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let package = a11y_dir().join("node_modules/adaptivecards/package.json");
    if !node_ok || !package.is_file() {
        assert!(!strict(), "CHORUS_TEST_STRICT=1 and no node or adaptivecards: npm ci --prefix tests/a11y");
        eprintln!("skipped: no node or adaptivecards (npm ci --prefix tests/a11y)");
        return;
    }
    let cards = [
        hub.path(".chorus/digest/teams-2027-03-06.fr.json"),
        sample.path(".chorus/digest/teams-2026-12-02.fr.json"),
        sample.path(".chorus/digest/teams-2026-12-02.en.json"),
    ];
    let out = Command::new("node").arg(a11y_dir().join("adaptive-card.js")).args(&cards).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.matches(": valid (").count(), cards.len(), "{stdout}");
}

#[test]
fn email_html_renders_in_chromium() {
    let hub = Hub::sample();
    let run = digest(&hub, &["--now", "2026-12-02"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = common::browser::launch(profile.path()) else { return };
    let base = common::browser::serve(&hub.path(".chorus/digest"));
    let tab = browser.new_tab().unwrap();
    tab.set_bounds(headless_chrome::types::Bounds::Normal { left: Some(0), top: Some(0), width: Some(700.0), height: Some(1800.0) }).ok();
    tab.navigate_to(&format!("{base}/digest-2026-12-02.fr.html")).unwrap().wait_until_navigated().unwrap();
    let title = common::browser::text_of(&tab, "document.querySelector('h1').textContent");
    assert_eq!(title, "À partager aujourd'hui");
    // The card is at most 600 px wide, and every share link is a real link.
    let width = tab.evaluate("document.querySelector('table.card').getBoundingClientRect().width", false).unwrap().value.unwrap().as_f64().unwrap();
    assert!(width > 300.0 && width <= 600.0, "card width {width}");
    let links =
        tab.evaluate("[...document.querySelectorAll('a')].filter(a => !/^(https|mailto):/.test(a.href)).length", false).unwrap().value.unwrap();
    assert_eq!(links.as_u64(), Some(0), "every link is https or mailto");
    let shares = tab.evaluate("document.querySelectorAll('a[href^=\"https://x.com/intent/post\"]').length", false).unwrap().value.unwrap();
    assert_eq!(shares.as_u64(), Some(3), "one X link per post");
    // In dark mode, where the client honours it, the card darkens and its text and links lighten.
    use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
    let dark = SetEmulatedMedia { media: None, features: Some(vec![MediaFeature { name: "prefers-color-scheme".into(), value: "dark".into() }]) };
    tab.call_method(dark).unwrap();
    let colors = common::browser::text_of(
        &tab,
        "[getComputedStyle(document.querySelector('table.card')).backgroundColor, getComputedStyle(document.querySelector('a.title')).color, getComputedStyle(document.querySelector('a.link')).color].join(' | ')",
    );
    assert_eq!(colors, "rgb(36, 39, 43) | rgb(236, 238, 241) | rgb(156, 194, 255)");
    let light = SetEmulatedMedia { media: None, features: Some(vec![MediaFeature { name: "prefers-color-scheme".into(), value: "light".into() }]) };
    tab.call_method(light).unwrap();
    if std::env::var("CHORUS_SCREENSHOTS").is_ok_and(|v| v == "1") {
        use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
        let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots/digest.png");
        std::fs::write(&path, png).unwrap();
        eprintln!("wrote {}", path.display());
    }
}
