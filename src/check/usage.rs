//! Checking a JSON usage report.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{mpsc, Arc, Mutex, OnceLock, PoisonError};

use serde_json::Value;

use super::decode::{decode, Decoded};
use super::diags;
use super::{FileKind, FileReport, Options, Source, SourceText};
use crate::diagnostic::{Anchor, Diagnostic, Findings};
use crate::parse::call::{CallFacts, ParticipantFacts};
use crate::parse::tape::Tape;
use crate::parse::{parse_call, parse_usage_report, split_usage_report, Parsed, UsageSink};
use crate::read::{Encoding, Input};
use crate::registry::Rule;
use crate::rules::{Activity, AsOf, MemberFacts, ReportRules, Roster, Stats};
use crate::schema::{usage_schema, Scope, UsageSchema};

/// What a usage report's check leaves for the cross-check and the locating.
pub(super) struct UsageChecked<'a> {
    pub report: FileReport,
    pub source: Source<'a>,
    pub members: Option<Vec<MemberFacts>>,
    /// The calls by day, when [`Options::overview`] asks for them.
    pub activity: Option<Activity>,
}

pub(super) fn check<'a>(input: &'a Input, options: &Options) -> UsageChecked<'a> {
    let file = input.path.as_str();
    let mut diagnostics = Vec::new();
    let total = input.bytes.len() as u64;
    // Pages the parser is past are given back as it goes (for a mapped file), `skip` bytes of
    // byte order mark into the file.
    let release_from = |skip: usize| {
        move |range: std::ops::Range<usize>| {
            input.bytes.release(range.start + skip..range.end + skip);
            if let Some(progress) = &options.progress {
                (progress.0)(file, (range.end + skip) as u64, total);
            }
        }
    };
    // The fast way first: the report split as bytes, each part checked to be UTF-8 where it
    // is parsed (see `split_usage_report`), so that a large file is not read once more, whole,
    // before the check can start. Anything unusual, including text that is not UTF-8, is left
    // to the careful way below, which words it.
    let prefix = encoding_prefix(&input.bytes).filter(|_| !options.careful_only);
    let fast = prefix.and_then(|(body, bom)| {
        let release = release_from(usize::from(bom) * 3);
        match pipeline(file, body, options, &release, Parser::Split) {
            Attempt::Checked(parsed, rules, found) => Some((body, bom, parsed, rules, found)),
            _ => None,
        }
    });
    let (source, checked) = match fast {
        Some((body, bom, parsed, rules, findings)) => {
            if bom {
                diagnostics.push(diags::bom(file));
            }
            let checked = finish_json(file, parsed, *rules, findings, &mut diagnostics);
            (SourceText::Unchecked(body), Some(checked))
        }
        None => match decode(input, Rule::JsonEncoding) {
            Decoded::Unreadable { finding, shown } => {
                diagnostics.push(*finding);
                (SourceText::Text(shown), None)
            }
            Decoded::Text { text, bom } => {
                if bom {
                    diagnostics.push(diags::bom(file));
                }
                let release = release_from(usize::from(bom) * 3);
                let careful = Parser::Careful(text);
                let checked = match pipeline(file, text.as_bytes(), options, &release, careful) {
                    Attempt::Checked(parsed, rules, found) => {
                        Some(finish_json(file, parsed, *rules, found, &mut diagnostics))
                    }
                    // What was found before the error belongs to a document that does not exist.
                    Attempt::NotJson(finding) => {
                        diagnostics.push(*finding);
                        None
                    }
                    // The careful parse does not give up: it finds the error.
                    Attempt::GaveUp => None,
                };
                (SourceText::Text(Cow::Borrowed(text)), checked)
            }
        },
    };
    let (stats, members, activity, omitted) = match checked {
        Some(checked) => (
            Some(checked.stats),
            Some(checked.members),
            checked.activity,
            checked.omitted,
        ),
        None => (None, None, None, Vec::new()),
    };
    UsageChecked {
        report: FileReport {
            path: file.to_owned(),
            kind: FileKind::UsageReport,
            stats,
            rows: None,
            diagnostics,
            omitted,
            written: [0; 3],
            overview: None,
        },
        source: Source {
            line_ends: crate::locate::LineEnds::Lf,
            text: source,
        },
        members,
        activity,
    }
}

/// What a usage report that parsed leaves.
struct JsonChecked {
    stats: Stats,
    members: Vec<MemberFacts>,
    activity: Option<Activity>,
    /// Per rule, the findings beyond the cap that were counted but not kept.
    omitted: Vec<(Rule, usize)>,
}

/// The body of a file that may be UTF-8 (after its byte order mark, if it has one), and
/// whether it has the mark; `None` for UTF-16, which only the careful way reports.
fn encoding_prefix(bytes: &[u8]) -> Option<(&[u8], bool)> {
    // The first bytes tell UTF-16 and the mark; what follows is checked where it is parsed.
    match crate::read::encoding(&bytes[..bytes.len().min(4)]) {
        Encoding::Utf16 { .. } => None,
        Encoding::Utf8 { bom, .. } | Encoding::Invalid { bom, .. } => {
            Some((&bytes[if bom { 3 } else { 0 }..], bom))
        }
    }
}

/// The findings of the top level and of the report rules, once every call is in.
fn finish_json(
    file: &str,
    parsed: Parsed,
    rules: ReportRules<'_, '_>,
    call_findings: Findings,
    out: &mut Vec<Diagnostic>,
) -> JsonChecked {
    let schema = usage_schema();
    let members = parsed.skeleton.get("team_members");
    for repeated in &parsed.repeated_keys {
        out.push(diags::repeated_key(
            file,
            &repeated.pointer,
            repeated.occurrence,
            members,
        ));
    }
    let scope = Scope { file, members };
    schema.check_top_level(&parsed.skeleton, &scope, out);
    let (found, mut omitted) = call_findings.into_parts();
    out.extend(found);
    let finished = rules.finish();
    out.extend(finished.diagnostics);
    omitted.extend(finished.omitted);
    JsonChecked {
        stats: finished.stats,
        members: finished.members,
        activity: finished.activity,
        omitted,
    }
}

/// How the report's text is taken apart.
#[derive(Clone, Copy)]
enum Parser<'t> {
    /// [`split_usage_report`], of bytes not yet known to be UTF-8: the calls are only found,
    /// and parsed by the workers.
    Split,
    /// [`parse_usage_report`], of this text: all of it is parsed here.
    Careful(&'t str),
}

enum Attempt<'f, 't> {
    Checked(Parsed, Box<ReportRules<'f, 't>>, Findings),
    /// The first syntax error, worded.
    NotJson(Box<Diagnostic>),
    /// The split found the report not as a well-formed one is.
    GaveUp,
}

/// Checks the text, in three stages that overlap, so that a large report takes little longer
/// than parsing it:
/// - this thread takes the text apart and hands on each call as the text it spans;
/// - workers (one a core) read each call and validate it against the schema;
/// - one thread applies the report rules to the calls in their order, so that the findings
///   do not depend on how the work was shared out.
///
/// The channels are bounded, so memory stays flat however many calls there are.
fn pipeline<'f, 't>(
    file: &'f str,
    text: &'t [u8],
    options: &Options,
    release: &(dyn Fn(std::ops::Range<usize>) + Sync),
    parser: Parser<'t>,
) -> Attempt<'f, 't> {
    let schema = usage_schema();
    let as_of = AsOf {
        given: options.as_of,
        now: options.now,
    };
    let workers = options
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 8);
    // Set before the first call is handed on, for the workers to look participants up in.
    let roster = OnceLock::new();
    // Set by a worker that meets a call it cannot parse: after a split, the report is not
    // well-formed, and the careful parse must find where; after the careful parse (which
    // skips calls without reading their numbers or counting their depth: `1e400`, or a call
    // nested deeper than the parser goes), it is the report's syntax error.
    let unreadable = Unreadable::default();
    let cap = options.max_per_rule;
    let builder = || Builder::new(schema, file, text, &unreadable, &roster);
    // Threads pay for themselves on a large report with cores to spare; a small one, or one
    // checked beside other files that take the other cores, goes through the stages here.
    let inline = workers == 1 || text.len() < INLINE_BELOW;
    let (parsed, checked) = if inline && !options.threads_always {
        let inline = Stages::Inline {
            builder: builder(),
            done: Box::new(RulesDone::new(file, as_of, cap, options.overview)),
        };
        let (parsed, done) = Batcher::new(inline, &roster, text, release).parse(parser);
        (
            parsed,
            done.unwrap_or_else(|| RulesDone::new(file, as_of, cap, options.overview)),
        )
    } else {
        let (work_sender, work) = mpsc::sync_channel::<Batch<'_>>(2 * workers);
        // The workers alone own the receiving end: were they all to stop (only a bug makes
        // them), it goes with them and the parser's sends fail, rather than block for ever.
        let work = Arc::new(Mutex::new(work));
        let (done_sender, done) = mpsc::sync_channel::<BuiltBatch>(2 * workers);
        let (members_sender, members) = mpsc::sync_channel::<Members>(1);
        std::thread::scope(|threads| {
            for _ in 0..workers {
                let (work, done_sender, builder) =
                    (Arc::clone(&work), done_sender.clone(), builder());
                threads.spawn(move || build_and_validate(builder, &work, done_sender));
            }
            drop(work);
            drop(done_sender);
            let rules = RulesDone::new(file, as_of, cap, options.overview);
            let rules = threads.spawn(move || apply_rules(rules, members, done));
            let stages = Stages::Threads {
                work: work_sender,
                members: Some(members_sender),
            };
            let (parsed, _) = Batcher::new(stages, &roster, text, release).parse(parser);
            // A thread only panics on a bug: pass it on rather than report a wrong "valid".
            let checked = rules
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (parsed, checked)
        })
    };
    let unreadable = unreadable.into_first();
    match (parsed, parser) {
        (None, _) => Attempt::GaveUp,
        (Some(_), Parser::Split) if unreadable.is_some() => Attempt::GaveUp,
        (Some(Err(error)), Parser::Careful(text)) => {
            // Of two errors, the one earlier in the file.
            let error = diags::syntax_error(file, text, 0, &error);
            let first = match unreadable {
                Some(call) if offset(&call) < offset(&error) => call,
                _ => error,
            };
            Attempt::NotJson(Box::new(first))
        }
        // The split does not word errors: it gives up, for the careful parse to word them.
        (Some(Err(_)), Parser::Split) => Attempt::GaveUp,
        (Some(Ok(parsed)), _) => match unreadable {
            Some(call) => Attempt::NotJson(Box::new(call)),
            None => Attempt::Checked(parsed, Box::new(checked.rules), checked.findings),
        },
    }
}

/// The first call (by its place in the file: the workers meet calls out of order) that a
/// worker could not parse, with its error.
#[derive(Default)]
struct Unreadable(Mutex<Option<(usize, Diagnostic)>>);

impl Unreadable {
    /// Notes the call that starts at byte `start`.
    fn note(&self, start: usize, finding: impl FnOnce() -> Diagnostic) {
        let mut first = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if first.as_ref().is_none_or(|(earliest, _)| start < *earliest) {
            *first = Some((start, finding()));
        }
    }

    fn into_first(self) -> Option<Diagnostic> {
        let first = self.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        first.map(|(_, finding)| finding)
    }
}

/// Where a syntax error stands.
fn offset(finding: &Diagnostic) -> usize {
    match finding.primary.anchor {
        Anchor::Offset(offset) => offset,
        _ => 0,
    }
}

/// What the parser makes of the report: `None` when the split gave up.
type ParseResult = Option<Result<Parsed, serde_json::Error>>;

/// Reports smaller than this are checked on one thread: their threads would cost more than
/// they save.
const INLINE_BELOW: usize = 1 << 20;

/// Calls handed on at once: enough that the channels cost nothing per call, few enough to
/// keep memory flat.
const BATCH: usize = 512;

/// The team members, and their roster, as the parser hands them to the rules thread.
struct Members {
    value: Option<Value>,
    roster: Arc<Roster>,
}

/// A call as the parser hands it on: its index in the report and its text.
struct CallText<'t> {
    index: usize,
    bytes: &'t [u8],
}

/// A batch of calls to build, numbered in the order of the report.
struct Batch<'t> {
    number: usize,
    calls: Vec<CallText<'t>>,
}

/// One call read and validated: its index, what the rules read of it (unless it could not
/// be read) and its findings.
struct BuiltCall<'t> {
    index: usize,
    facts: Option<CallFacts<'t>>,
    findings: Vec<Diagnostic>,
}

/// A batch of built calls, numbered as its [`Batch`] was, with their participants.
struct BuiltBatch<'t> {
    number: usize,
    calls: Vec<BuiltCall<'t>>,
    participants: Vec<ParticipantFacts<'t>>,
}

/// What the rules thread leaves: the rules, to finish, and the calls' own findings.
struct RulesDone<'f, 't> {
    rules: ReportRules<'f, 't>,
    findings: Findings,
}

/// What reads calls and validates them against the schema, a batch at a time.
struct Builder<'a, 't> {
    schema: &'a UsageSchema,
    scope: Scope<'a>,
    whole: &'t [u8],
    unreadable: &'a Unreadable,
    roster: &'a OnceLock<Arc<Roster>>,
    tape: Tape<'t>,
}

impl<'a, 't> Builder<'a, 't> {
    fn new(
        schema: &'a UsageSchema,
        file: &'a str,
        whole: &'t [u8],
        unreadable: &'a Unreadable,
        roster: &'a OnceLock<Arc<Roster>>,
    ) -> Self {
        Builder {
            schema,
            scope: Scope {
                file,
                members: None,
            },
            whole,
            unreadable,
            roster,
            tape: Tape::new(),
        }
    }

    fn build(&mut self, Batch { number, calls }: Batch<'t>) -> BuiltBatch<'t> {
        let mut participants = Vec::with_capacity(BATCH);
        let calls = calls
            .into_iter()
            .map(|call| self.build_call(call, &mut participants))
            .collect();
        BuiltBatch {
            number,
            calls,
            participants,
        }
    }

    fn build_call(
        &mut self,
        CallText { index, bytes }: CallText<'t>,
        participants: &mut Vec<ParticipantFacts<'t>>,
    ) -> BuiltCall<'t> {
        let (file, unreadable) = (self.scope.file, self.unreadable);
        let unread = |findings| BuiltCall {
            index,
            facts: None,
            findings,
        };
        let mut found = Vec::new();
        let start = bytes.as_ptr() as usize - self.whole.as_ptr() as usize;
        // After a split, this is where the call's bytes are first checked to be UTF-8; a call
        // that is not, or does not parse, makes the report not JSON (see `Unreadable`).
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                // Never shown: after a split, the careful way words it.
                let valid = error.valid_up_to();
                let byte = bytes.get(valid).copied().unwrap_or_default();
                let finding =
                    || diags::not_utf8_text(Rule::JsonEncoding, file, byte, start + valid);
                unreadable.note(start, finding);
                return unread(found);
            }
        };
        let call = match self.tape.read(text) {
            Ok(()) => self.tape.root(),
            Err(error) => {
                unreadable.note(start, || diags::syntax_error(file, text, start, &error));
                None
            }
        };
        let Some(call) = call else {
            return unread(found);
        };
        let facts = CallFacts::read(text, call, participants);
        // Looked up here, where the names and emails were just read (see `Roster`), and
        // before the schema's question, which a member's email answers for its participant.
        if let (Some(roster), Some(range)) = (self.roster.get(), facts.participants.clone()) {
            for participant in &mut participants[range] {
                participant.member = roster.look_up(participant);
            }
        }
        // Nearly every call is clean; the few that are not are built as a `Value`, from
        // which their findings are worded.
        let clean = self.schema.call_is_clean(call, &facts, participants)
            && if facts.only_known_keys {
                // A call the schema passes, with only keys the reader knows, holds no object
                // but its participants: the reader's word on repeats covers every key.
                !facts.repeats_a_known_key
            } else {
                !self.tape.repeats_a_key()
            };
        if !clean {
            if let Ok((value, repeated)) = parse_call(text, index) {
                for key in repeated {
                    found.push(diags::repeated_key(
                        file,
                        &key.pointer,
                        key.occurrence,
                        None,
                    ));
                }
                self.schema
                    .check_call(index, &value, &self.scope, &mut found);
            }
        }
        BuiltCall {
            index,
            facts: Some(facts),
            findings: found,
        }
    }
}

/// A worker thread: builds the batches it is handed.
fn build_and_validate<'t>(
    mut builder: Builder<'_, 't>,
    work: &Mutex<mpsc::Receiver<Batch<'t>>>,
    done: mpsc::SyncSender<BuiltBatch<'t>>,
) {
    loop {
        let next = work.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(batch) = next else {
            return;
        };
        if done.send(builder.build(batch)).is_err() {
            return;
        }
    }
}

impl<'f, 't> RulesDone<'f, 't> {
    fn new(file: &'f str, as_of: AsOf, cap: Option<usize>, activity: bool) -> Self {
        let mut rules = ReportRules::new(file, as_of, cap);
        if activity {
            rules.keep_activity();
        }
        RulesDone {
            rules,
            findings: Findings::new(cap),
        }
    }

    /// The rules over a batch of calls, the batches in the order of the report.
    fn apply(&mut self, mut batch: BuiltBatch<'t>) {
        // Read in place: moving each call's facts out of the batch cost more than the rules
        // that read them.
        for call in &mut batch.calls {
            self.findings.extend(call.findings.drain(..));
            if let Some(facts) = &call.facts {
                self.rules.call(call.index, facts, &batch.participants);
            }
        }
    }
}

/// The rules thread: the report rules, over the calls in the order of the report.
fn apply_rules<'f, 't>(
    mut done: RulesDone<'f, 't>,
    members: mpsc::Receiver<Members>,
    built: mpsc::Receiver<BuiltBatch<'t>>,
) -> RulesDone<'f, 't> {
    // The members come before any call; a report cut short may never send them.
    if let Ok(members) = members.recv() {
        done.rules
            .team_members(members.value.as_ref(), members.roster);
    }
    let mut waiting: BTreeMap<usize, BuiltBatch<'t>> = BTreeMap::new();
    let mut next = 0;
    for batch in built {
        waiting.insert(batch.number, batch);
        while let Some(batch) = waiting.remove(&next) {
            done.apply(batch);
            next += 1;
        }
    }
    done
}

/// Where the parser's batches go: to the worker and rules threads, or, for a small report
/// or when other files take the other cores, through both stages at once on this thread.
enum Stages<'a, 'f, 't> {
    Threads {
        work: mpsc::SyncSender<Batch<'t>>,
        members: Option<mpsc::SyncSender<Members>>,
    },
    Inline {
        builder: Builder<'a, 't>,
        done: Box<RulesDone<'f, 't>>,
    },
}

/// The parser's side of the stages.
struct Batcher<'t, 'a, 'f> {
    stages: Stages<'a, 'f, 't>,
    roster: &'a OnceLock<Arc<Roster>>,
    calls: Vec<CallText<'t>>,
    batches: usize,
    text: &'t [u8],
    /// How much of `text` has been given back.
    released: usize,
    release: &'a (dyn Fn(std::ops::Range<usize>) + Sync),
}

/// How far behind the parser pages are given back (and progress told): well past what the
/// workers still read (a few batches, under 2 MB of text), so that they seldom have to be
/// read again.
const RELEASE_BEHIND: usize = 8 << 20;

impl<'t, 'a, 'f> Batcher<'t, 'a, 'f> {
    fn new(
        stages: Stages<'a, 'f, 't>,
        roster: &'a OnceLock<Arc<Roster>>,
        text: &'t [u8],
        release: &'a (dyn Fn(std::ops::Range<usize>) + Sync),
    ) -> Self {
        Batcher {
            stages,
            roster,
            calls: Vec::with_capacity(BATCH),
            batches: 0,
            text,
            released: 0,
            release,
        }
    }

    /// Takes the report apart, handing on every call; then the rules, if they ran here.
    fn parse(mut self, parser: Parser<'t>) -> (ParseResult, Option<RulesDone<'f, 't>>) {
        let parsed = match parser {
            Parser::Split => split_usage_report(self.text, &mut self).map(Ok),
            Parser::Careful(text) => Some(parse_usage_report(text, &mut self)),
        };
        self.flush();
        // Dropping the channels (when there are threads) lets the workers, then the rules
        // thread, finish.
        match self.stages {
            Stages::Inline { done, .. } => (parsed, Some(*done)),
            Stages::Threads { .. } => (parsed, None),
        }
    }

    fn flush(&mut self) {
        if let Some(first) = self.calls.first() {
            let at = first.bytes.as_ptr() as usize - self.text.as_ptr() as usize;
            if at > self.released + 2 * RELEASE_BEHIND {
                let upto = at - RELEASE_BEHIND;
                (self.release)(self.released..upto);
                self.released = upto;
            }
        }
        if !self.calls.is_empty() {
            let calls = std::mem::replace(&mut self.calls, Vec::with_capacity(BATCH));
            let batch = Batch {
                number: self.batches,
                calls,
            };
            match &mut self.stages {
                // A send fails only if the workers have stopped, which the join then reports.
                Stages::Threads { work, .. } => {
                    let _ = work.send(batch);
                }
                Stages::Inline { builder, done } => done.apply(builder.build(batch)),
            }
            self.batches += 1;
        }
    }
}

impl<'t> UsageSink<'t> for Batcher<'t, '_, '_> {
    fn team_members(&mut self, members: Option<Value>) {
        // Only the first `team_members` counts, as the careful parse's value keeps the last:
        // a report that writes it twice is reported for the repeated key.
        if self.roster.get().is_some() {
            return;
        }
        let roster = Arc::new(Roster::new(members.as_ref()));
        let _ = self.roster.set(Arc::clone(&roster));
        match &mut self.stages {
            Stages::Threads {
                members: sender, ..
            } => {
                if let Some(sender) = sender.take() {
                    let _ = sender.send(Members {
                        value: members,
                        roster,
                    });
                }
            }
            Stages::Inline { done, .. } => done.rules.team_members(members.as_ref(), roster),
        }
    }

    fn call(&mut self, index: usize, call: &'t [u8]) {
        self.calls.push(CallText { index, bytes: call });
        if self.calls.len() == BATCH {
            self.flush();
        }
    }
}
