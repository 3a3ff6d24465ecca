-- Record the frozen entry list of a closed draw once. A rerun after a crash reads the first one back,
-- so the inputs of the draw never change after they are fixed. The text itself (tens of MB for a big
-- draw) was written beforehand to a staging key in pieces: passing it here as an argument held Redis,
-- and every join waiting on it, for over 100 ms.
-- KEYS[1] draw meta hash   KEYS[2] frozen entries string   KEYS[3] staging string holding the text
-- ARGV[1] its digest   ARGV[2] entry count   ARGV[3] its length in bytes
-- Returns {1, digest} stored now | {0, digest} already frozen | {-1, state} draw not closed |
--         {-2, length} staging text incomplete (the caller writes it again).
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'closed' and state ~= 'drawn' then
  redis.call('DEL', KEYS[3])
  return {-1, state or 'none'}
end
local digest = redis.call('HGET', KEYS[1], 'entriesDigest')
if digest then
  redis.call('DEL', KEYS[3])
  return {0, digest}
end
local length = redis.call('STRLEN', KEYS[3])
if length ~= tonumber(ARGV[3]) then
  return {-2, tostring(length)}
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('RENAME', KEYS[3], KEYS[2])
else
  -- An empty draw whose staging key is gone (STRLEN of a missing key is 0): RENAME needs a key.
  redis.call('SET', KEYS[2], '')
end
redis.call('HSET', KEYS[1], 'entriesDigest', ARGV[1], 'entryCount', ARGV[2])
return {1, ARGV[1]}
