-- Retrieval now corrects misspellings against the words of its own in-memory index (knowledge.internal.LexicalIndex),
-- so the word list that each article change refreshed is no longer read.
drop materialized view if exists knowledge_words;
