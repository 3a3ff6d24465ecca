-- The office step of a join: add the entry to the office's open draw. The person's active slot was
-- claimed just before (person-claim.lua), which is also what keeps a person to one entry per draw; the
-- caller releases the claim if this step refuses.
-- KEYS[1] draw meta hash   KEYS[2] the draw's entries bucket of this ticket   KEYS[3] office draw index
-- ARGV[1] ticket  ARGV[2] packed entry  ARGV[3] candidate seed (used only if this entry opens the draw)
-- ARGV[4] its commitment  ARGV[5] now ms
-- ARGV[6] target date  ARGV[7] draw date  ARGV[8] draw index score  ARGV[9] office id
-- ARGV[10] beacon anchor of the candidate (JSON, '' = unanchored; docs/draw-spec.md)
-- The entry count lives in the meta hash (field `entries`): the entries are spread over many buckets.
-- Returns {1, entry count} | {-3, state} draw not open | {-5, ''} ticket already taken (draw a new one)
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  -- First entry opens the draw: the seed is fixed now and only its commitment is ever shown before the draw.
  redis.call('HSET', KEYS[1], 'state', 'open', 'officeId', ARGV[9], 'drawDate', ARGV[7], 'targetDate', ARGV[6],
    'seed', ARGV[3], 'commitment', ARGV[4], 'openedAt', ARGV[5], 'anchor', ARGV[10] or '')
  redis.call('ZADD', KEYS[3], ARGV[8], ARGV[7])
elseif state ~= 'open' then
  return {-3, state}
end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then
  return {-5, ''}
end
return {1, redis.call('HINCRBY', KEYS[1], 'entries', 1)}
