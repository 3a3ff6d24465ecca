-- The office step of a group join: add every member's entry to the office's open draw, or none. The
-- members' tickets share their group prefix, hence one entries bucket, so this is one single-slot script
-- and the draw never holds part of a group. The members' active slots were claimed just before
-- (person-claim.lua); the caller releases them if this step refuses.
-- KEYS[1] draw meta hash   KEYS[2] the draw's entries bucket of the group   KEYS[3] office draw index
-- ARGV[1] candidate seed (used only if this group opens the draw)   ARGV[2] its commitment   ARGV[3] now ms
-- ARGV[4] target date   ARGV[5] draw date   ARGV[6] draw index score   ARGV[7] office id
-- ARGV[8] beacon anchor of the candidate (JSON, '' = unanchored)
-- ARGV[9], ARGV[10], ... member ticket, its packed entry, in pairs, member 0 first
-- Returns {1, entry count} | {-3, state} draw not open | {-5, ''} a ticket already taken (draw new ones).
-- Nothing is written on a refusal.
local state = redis.call('HGET', KEYS[1], 'state')
if state and state ~= 'open' then
  return {-3, state}
end
for i = 9, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then
    return {-5, ''}
  end
end
if not state then
  redis.call('HSET', KEYS[1], 'state', 'open', 'officeId', ARGV[7], 'drawDate', ARGV[5], 'targetDate', ARGV[4],
    'seed', ARGV[1], 'commitment', ARGV[2], 'openedAt', ARGV[3], 'anchor', ARGV[8] or '')
  redis.call('ZADD', KEYS[3], ARGV[6], ARGV[5])
end
for i = 9, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return {1, redis.call('HINCRBY', KEYS[1], 'entries', (#ARGV - 8) / 2)}
