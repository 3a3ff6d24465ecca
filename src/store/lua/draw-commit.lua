-- Commit a computed draw in one step: move the staged results into place, reveal the seed, mark drawn.
-- Only a closed draw with frozen entries can be committed, and only once.
-- KEYS[1] draw meta hash   KEYS[2] staged outcome hash   KEYS[3] outcome hash
-- KEYS[4] staged results string   KEYS[5] results string
-- ARGV[1] results digest   ARGV[2] now ms   ARGV[3] winners   ARGV[4] waitlisted   ARGV[5] entries digest used
-- Returns 1 committed now | 0 already drawn (staging discarded) | -1 not ready.
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'drawn' then
  redis.call('DEL', KEYS[2], KEYS[4])
  return 0
end
if state ~= 'closed' or redis.call('HGET', KEYS[1], 'entriesDigest') ~= ARGV[5] then
  return -1
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], KEYS[3])
end
redis.call('RENAME', KEYS[4], KEYS[5])
redis.call('HSET', KEYS[1], 'state', 'drawn', 'resultsDigest', ARGV[1], 'drawnAt', ARGV[2],
  'winners', ARGV[3], 'waitlisted', ARGV[4], 'revealed', '1')
return 1
