//! Served JSON, built once per emulator so that a page is mostly a copy of bytes.
//!
//! A *rendition* is a catalogue rendered for one origin (`http://127.0.0.1:PORT`): each set as
//! complete JSON and each card as a *head*, the card's JSON with the embedded set and rewritten
//! image URLs but without its price blocks and closing brace. The prices depend on the price
//! date, which can change while the emulator runs, so they are appended per request. A page
//! body is then the heads joined with commas. Only `select` and injected bad cards need a card
//! to be written member by member again.
//!
//! Members keep the order of the data file, with `set` inserted before `number` (where the real
//! API puts it) and `tcgplayer` and `cardmarket` last.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::catalogue::{Catalogue, OrderedObject, Record};
use crate::documents::card_facts;
use crate::images::{image_path, image_url};
use crate::params::Selection;
use crate::price_date::PriceDate;
use crate::pricing;

/// A card member replaced by other JSON, e.g. a wrong-typed `hp` from the bad-card fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub field: &'static str,
    pub json: String,
}

/// How to write one card when it differs from the pre-rendered form.
#[derive(Debug, Default, Clone, Copy)]
pub struct CardShape<'a> {
    pub select: Option<&'a Selection>,
    pub replacement: Option<&'a Replacement>,
}

/// A catalogue rendered for one origin.
pub struct Rendition {
    catalogue: Arc<Catalogue>,
    origin: String,
    sets: Vec<Box<[u8]>>,
    card_heads: Vec<Box<[u8]>>,
}

impl Rendition {
    /// Renders every set and card; `origin` is `http://127.0.0.1:PORT`, without a slash.
    pub fn build(catalogue: Arc<Catalogue>, origin: &str) -> Rendition {
        let started = Instant::now();
        let sets: Vec<Box<[u8]>> = catalogue
            .sets()
            .iter()
            .map(|set| {
                let mut out = Vec::with_capacity(512);
                let mut writer = ObjectWriter::open(&mut out);
                write_members(&mut writer, set, origin, &MemberOptions::default());
                writer.close();
                out.into_boxed_slice()
            })
            .collect();
        let card_heads = catalogue
            .cards()
            .iter()
            .map(|card| {
                let mut out = Vec::with_capacity(2048);
                let mut writer = ObjectWriter::open(&mut out);
                let options = MemberOptions {
                    set_json: Some(&sets[card.set]),
                    ..MemberOptions::default()
                };
                write_members(&mut writer, &card.record, origin, &options);
                out.into_boxed_slice()
            })
            .collect();
        tracing::info!(
            origin,
            cards = catalogue.cards().len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "rendered catalogue"
        );
        Rendition {
            catalogue,
            origin: origin.to_owned(),
            sets,
            card_heads,
        }
    }

    /// Returns the catalogue this rendition was built from.
    pub fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    /// Appends the set at `position` as JSON, restricted to the selected fields if any.
    pub fn write_set(&self, out: &mut Vec<u8>, position: usize, select: Option<&Selection>) {
        match select {
            None => out.extend_from_slice(&self.sets[position]),
            Some(select) => {
                let mut writer = ObjectWriter::open(out);
                let options = MemberOptions {
                    select: Some(select),
                    ..MemberOptions::default()
                };
                write_members(
                    &mut writer,
                    &self.catalogue.sets()[position],
                    &self.origin,
                    &options,
                );
                writer.close();
            }
        }
    }

    /// Appends the card at `position` as JSON with its prices on `date`.
    pub fn write_card(
        &self,
        out: &mut Vec<u8>,
        position: usize,
        date: PriceDate,
        shape: CardShape,
    ) {
        let card = &self.catalogue.cards()[position];
        let mut writer = if shape.select.is_none() && shape.replacement.is_none() {
            out.extend_from_slice(&self.card_heads[position]);
            // Every card has an `id` (the loader rejects cards without), so the head has members.
            ObjectWriter::resume(out, true)
        } else {
            let mut writer = ObjectWriter::open(out);
            let options = MemberOptions {
                select: shape.select,
                replacement: shape.replacement,
                set_json: Some(&self.sets[card.set]),
            };
            write_members(&mut writer, &card.record, &self.origin, &options);
            writer
        };
        let selected = |name: &str| shape.select.is_none_or(|select| select.contains(name));
        let facts = card_facts(&self.catalogue, card);
        let tcgplayer = selected("tcgplayer")
            .then(|| pricing::tcgplayer(&facts, date))
            .flatten();
        if let Some(block) = tcgplayer {
            writer.serialized_member("tcgplayer", &block);
        }
        if selected("cardmarket") {
            writer.serialized_member("cardmarket", &pricing::cardmarket(&facts, date));
        }
        writer.close();
    }
}

#[derive(Default)]
struct MemberOptions<'a> {
    select: Option<&'a Selection>,
    replacement: Option<&'a Replacement>,
    /// The rendered set to embed as `set`, for cards.
    set_json: Option<&'a [u8]>,
}

impl MemberOptions<'_> {
    fn selected(&self, name: &str) -> bool {
        self.select.is_none_or(|select| select.contains(name))
    }
}

fn write_members(
    writer: &mut ObjectWriter,
    record: &Record,
    origin: &str,
    options: &MemberOptions,
) {
    let mut set_json = options.set_json.filter(|_| options.selected("set"));
    for (key, raw) in record.members() {
        if key == "number"
            && let Some(set) = set_json.take()
        {
            writer.member("set", set);
        }
        if !options.selected(key) {
            continue;
        }
        match options.replacement {
            Some(replacement) if replacement.field == key => {
                writer.member(key, replacement.json.as_bytes());
            }
            _ if key == "images" => writer.member(key, &rewrite_images(raw, origin)),
            _ => writer.member(key, raw.as_bytes()),
        }
    }
    if let Some(set) = set_json {
        writer.member("set", set);
    }
}

/// Rewrites each URL of an `images` object to the emulator; anything else is kept as it is.
fn rewrite_images(json: &str, origin: &str) -> Vec<u8> {
    let Ok(OrderedObject(members)) = serde_json::from_str::<OrderedObject>(json) else {
        return json.as_bytes().to_vec();
    };
    let mut out = Vec::with_capacity(json.len() + 32);
    let mut writer = ObjectWriter::open(&mut out);
    for (key, value) in &members {
        let url = serde_json::from_str::<String>(value.get()).ok();
        match url.as_deref().and_then(image_path) {
            Some(path) => {
                writer.key(key);
                write_json_string(writer.out, &image_url(origin, path));
            }
            None => writer.member(key, value.get().as_bytes()),
        }
    }
    writer.close();
    out
}

/// Writes a JSON object member by member.
struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    has_members: bool,
}

impl<'a> ObjectWriter<'a> {
    fn open(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter {
            out,
            has_members: false,
        }
    }

    /// Continues an object whose opening brace and first members are already in `out`.
    fn resume(out: &'a mut Vec<u8>, has_members: bool) -> Self {
        ObjectWriter { out, has_members }
    }

    fn key(&mut self, key: &str) {
        if self.has_members {
            self.out.push(b',');
        }
        self.has_members = true;
        write_json_string(self.out, key);
        self.out.push(b':');
    }

    fn member(&mut self, key: &str, json: &[u8]) {
        self.key(key);
        self.out.extend_from_slice(json);
    }

    fn serialized_member(&mut self, key: &str, value: &impl Serialize) {
        self.key(key);
        let mark = self.out.len();
        if let Err(error) = serde_json::to_writer(&mut *self.out, value) {
            // Serialising plain structs into memory does not fail; keep the JSON valid anyway.
            tracing::error!(key, %error, "failed to serialise a computed member");
            self.out.truncate(mark);
            self.out.extend_from_slice(b"null");
        }
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// Writes a string as a JSON string literal.
pub fn write_json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for c in text.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if u32::from(c) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes());
            }
            c => {
                let mut buffer = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = Vec::new();
        write_json_string(&mut out, "a\"b\\c\nd\u{1}é");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text, "\"a\\\"b\\\\c\\nd\\u0001é\"");
        let parsed: String = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(parsed, "a\"b\\c\nd\u{1}é");
    }

    #[test]
    fn images_are_rewritten_in_order() {
        let json = r#"{"small": "https://images.pokemontcg.io/xy7/96.png", "large": "https://images.pokemontcg.io/xy7/96_hires.png", "note": 3}"#;
        let text = String::from_utf8(rewrite_images(json, "http://127.0.0.1:9")).expect("utf-8");
        assert_eq!(
            text,
            r#"{"small":"http://127.0.0.1:9/images/xy7/96.png","large":"http://127.0.0.1:9/images/xy7/96_hires.png","note":3}"#
        );
    }
}
