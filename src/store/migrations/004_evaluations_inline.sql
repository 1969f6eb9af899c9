-- A round writes every running deploy's evaluation (1,000 rows every interval at scale), each a few KB. Past 2 KB a
-- row is compressed and moved out of line by default: compressing base64 doubles saves nothing and both steps cost
-- more than the write itself (a third of an embedded round, measured). Rows now stay inline up to a page; larger
-- ones are still moved out.
ALTER TABLE evaluations SET (toast_tuple_target = 8160);
