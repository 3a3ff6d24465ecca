-- The office step of a join: add the entry to the office's open draw. The person's active slot was
-- claimed just before (person-claim.lua); the caller releases it if this step refuses.
-- KEYS[1] draw meta hash   KEYS[2] draw entries hash   KEYS[3] draw persons hash (nikHash → ticket)
-- KEYS[4] office draw index
-- ARGV[1] ticket  ARGV[2] packed entry  ARGV[3] nikHash  ARGV[4] fresh seed  ARGV[5] its commitment
-- ARGV[6] now ms  ARGV[7] target date   ARGV[8] draw date ARGV[9] draw index score  ARGV[10] office id
-- Returns {1, entry count} | {-1, ticket} already in this draw | {-3, state} draw not open
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  -- First entry opens the draw: the seed is fixed now and only its commitment is ever shown before the draw.
  redis.call('HSET', KEYS[1], 'state', 'open', 'officeId', ARGV[10], 'drawDate', ARGV[8], 'targetDate', ARGV[7],
    'seed', ARGV[4], 'commitment', ARGV[5], 'openedAt', ARGV[6])
  redis.call('ZADD', KEYS[4], ARGV[9], ARGV[8])
elseif state ~= 'open' then
  return {-3, state}
end
local existing = redis.call('HGET', KEYS[3], ARGV[3])
if existing then
  return {-1, existing}
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
return {1, redis.call('HLEN', KEYS[2])}
