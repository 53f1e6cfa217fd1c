//! Tests of format detection and file-level errors, across formats.

use super::test_support::{records_of, sample_records};
use super::*;

#[test]
fn read_rejects_empty_file() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"  \r\n\n", b",,,\n"] {
        let result = read(bytes);
        assert!(
            matches!(result, Err(FileError::Empty)),
            "{bytes:?}: {result:?}"
        );
    }
}

#[test]
fn read_rejects_unknown_header() {
    let error = read(b"Name,Qty\nPikachu,1\n").unwrap_err();
    assert!(
        matches!(&error, FileError::UnknownFormat { header } if header == "Name,Qty"),
        "{error:?}"
    );
    let message = error.to_string();
    for format in ["Holo CSV", "Holo JSON", "TCGplayer", "Collectr"] {
        assert!(message.contains(format), "{message}");
    }
}

#[test]
fn read_rejects_ambiguous_header() {
    // One distinctive column of TCGplayer's and one of Collectr's.
    let error = read(b"SKU,Variance,Quantity\n1,Holofoil,1\n").unwrap_err();
    assert!(
        matches!(error, FileError::UnknownFormat { .. }),
        "{error:?}"
    );
}

#[test]
fn read_treats_json_array_as_unknown_csv() {
    let error = read(b"[{\"card_id\":\"swsh10-190\"}]").unwrap_err();
    assert!(
        matches!(error, FileError::UnknownFormat { .. }),
        "{error:?}"
    );
}

#[test]
fn read_rejects_invalid_utf8() {
    let bytes = b"Set,Number,Card,Quantity,Card ID\nBase,4,Charizard,1,base1-4\nFlashfire,62,Flab\xE9b\xE9,1,xy2-62\n";
    let error = read(bytes).unwrap_err();
    assert!(matches!(error, FileError::NotUtf8 { line: 3 }), "{error:?}");
    assert!(error.to_string().contains("line 3"), "{error}");
}

#[test]
fn read_skips_bom_before_json() {
    let mut bytes = b"\xEF\xBB\xBF \n".to_vec();
    bytes.extend(write_all(FileFormat::HoloJson, Vec::new(), &sample_records()).unwrap());
    let file = read(&bytes).unwrap();
    assert_eq!(records_of(&file), sample_records());
}

#[test]
fn read_counts_lines_across_quoted_breaks() {
    let text = "\r\n\
                Quantity,Name,Simple Name,Set,Card Number\r\n\
                1,Rufflet,Rufflet,Astral Radiance,131\r\n\
                \r\n\
                2,\"Multi\r\nline\nname\",x,Astral Radiance,1\r\n\
                \"two\",Rufflet,Rufflet,Astral Radiance,131\r\n\
                \x20 ,  ,,,\r\n\
                3,Rufflet,Rufflet,Astral Radiance,131";
    let file = read(text.as_bytes()).unwrap();
    let lines: Vec<usize> = file.rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, [3, 5, 8, 10]);
    assert_eq!(
        file.rows[1].record.as_ref().unwrap().card_name.as_deref(),
        Some("Multi\r\nline\nname")
    );
    let error = file.rows[2].record.as_ref().unwrap_err();
    assert!(
        error.starts_with("invalid quantity \"two\" in column Quantity"),
        "{error}"
    );
}

#[test]
fn read_tolerates_short_rows_and_spaced_header() {
    let text = " quantity , NAME ,Simple Name, set ,Card Number\n2,Rufflet\n";
    let file = read(text.as_bytes()).unwrap();
    assert_eq!(file.format, FileFormat::TcgplayerCsv);
    let record = file.rows[0].record.as_ref().unwrap();
    assert_eq!(record.quantity, 2);
    assert_eq!(record.card_name.as_deref(), Some("Rufflet"));
    assert_eq!(record.set_name, None);
}

#[test]
fn format_names_select_formats() {
    let cases = [
        ("csv", FileFormat::HoloCsv),
        ("Holo-CSV", FileFormat::HoloCsv),
        ("json", FileFormat::HoloJson),
        ("tcgplayer", FileFormat::TcgplayerCsv),
        ("collectr", FileFormat::CollectrCsv),
    ];
    for (name, format) in cases {
        assert_eq!(FileFormat::from_name(name).unwrap(), format, "{name}");
    }
    let error = FileFormat::from_name("xlsx").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("unknown file format \"xlsx\": expected csv, json"),
        "{error}"
    );
    assert!(!FileFormat::CollectrCsv.is_writable());
    assert_eq!(FileFormat::HoloJson.extension(), "json");
}

/// A large collection writes and reads back whole in every writable format. Timing is left to
/// benchmarks, because a shared test machine makes a time limit flaky.
#[test]
fn large_collection_round_trips() {
    let samples = sample_records();
    let records: Vec<EntryRecord> = (0..20_000)
        .map(|index| {
            let mut record = samples[index % samples.len()].clone();
            record.note = Some(format!("copy {index}, from binder {}", index / 360));
            record.quantity = record.quantity.max(1);
            record
        })
        .collect();
    for format in [
        FileFormat::HoloCsv,
        FileFormat::HoloJson,
        FileFormat::TcgplayerCsv,
    ] {
        let bytes = write_all(format, Vec::new(), &records).unwrap();
        let file = read(&bytes).unwrap();
        assert_eq!(file.format, format);
        assert_eq!(file.rows.len(), records.len(), "{format:?}");
        assert!(file.rows.iter().all(|row| row.record.is_ok()), "{format:?}");
    }
}
