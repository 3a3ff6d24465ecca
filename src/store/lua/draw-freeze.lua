-- Record the frozen entry list of a closed draw once. A rerun after a crash reads the first one back,
-- so the inputs of the draw never change after they are fixed.
-- KEYS[1] draw meta hash   KEYS[2] frozen entries string
-- ARGV[1] frozen text      ARGV[2] its digest   ARGV[3] entry count
-- Returns {1, digest} stored now | {0, digest} already frozen | {-1, state} draw not closed.
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'closed' and state ~= 'drawn' then
  return {-1, state or 'none'}
end
local digest = redis.call('HGET', KEYS[1], 'entriesDigest')
if digest then
  return {0, digest}
end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'entriesDigest', ARGV[2], 'entryCount', ARGV[3])
return {1, ARGV[2]}
