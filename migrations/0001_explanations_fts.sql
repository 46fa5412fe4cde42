-- Lexical search over explanation text (BM25 via FTS5). drizzle-kit does not
-- model virtual tables, so this migration is written by hand. The rowid of a
-- row is its explanation's (release << 32 | id), so a match maps straight back
-- to explanations without a join column.
CREATE VIRTUAL TABLE `explanations_fts` USING fts5(
  `text`,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
