//! The text of an import: one line per batch.

use veilig_domain::ImportSummary;

pub fn summary(s: &ImportSummary) {
    let outside = if s.unassigned + s.without_location > 0 {
        format!(
            " (outside every area {}, without location {})",
            s.unassigned, s.without_location
        )
    } else {
        String::new()
    };
    let same = s
        .same_content_as
        .map_or(String::new(), |b| format!(" [same content as batch {b}]"));
    println!(
        "batch {}: {} — read {}, stored {}, duplicates {}, rejected {}{outside}{same}",
        s.batch, s.file, s.rows_read, s.stored, s.duplicates, s.rejected,
    );
    if s.rejected > 0 {
        println!("  see the rejected rows with: veilig rejects {}", s.batch);
    }
}
