-- The office step of a join: add the entry to the office's open draw. The person's active slot was
-- claimed just before (person-claim.lua), which is also what keeps a person to one entry per draw; the
-- caller releases the claim if this step refuses.
-- KEYS[1] draw meta hash   KEYS[2] draw entries hash   KEYS[3] office draw index
-- ARGV[1] ticket  ARGV[2] packed entry  ARGV[3] nikHash  ARGV[4] fresh seed  ARGV[5] its commitment
-- ARGV[6] now ms  ARGV[7] target date   ARGV[8] draw date ARGV[9] draw index score  ARGV[10] office id
-- Returns {1, entry count} | {-3, state} draw not open
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  -- First entry opens the draw: the seed is fixed now and only its commitment is ever shown before the draw.
  redis.call('HSET', KEYS[1], 'state', 'open', 'officeId', ARGV[10], 'drawDate', ARGV[8], 'targetDate', ARGV[7],
    'seed', ARGV[4], 'commitment', ARGV[5], 'openedAt', ARGV[6])
  redis.call('ZADD', KEYS[3], ARGV[9], ARGV[8])
elseif state ~= 'open' then
  return {-3, state}
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {1, redis.call('HLEN', KEYS[2])}
