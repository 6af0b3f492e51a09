-- "Ð" (U+00D0, lower case "ð"), as some fonts and keyboards write "Đ", now folds to "d" like
-- "đ" does: stored folded text that kept it is folded again, so that searches and the
-- duplicate check of recipients find it.
UPDATE organizations SET search_text = REPLACE(search_text, 'ð', 'd') WHERE search_text LIKE '%ð%';
UPDATE accounts SET search_text = REPLACE(search_text, 'ð', 'd') WHERE search_text LIKE '%ð%';
UPDATE staff SET search_text = REPLACE(search_text, 'ð', 'd') WHERE search_text LIKE '%ð%';
UPDATE cases SET search_text = REPLACE(search_text, 'ð', 'd') WHERE search_text LIKE '%ð%';
UPDATE review_requests SET search_text = REPLACE(search_text, 'ð', 'd') WHERE search_text LIKE '%ð%';
UPDATE recipients SET name_key = REPLACE(name_key, 'ð', 'd') WHERE name_key LIKE '%ð%';
