-- Enter one person into one office's open draw. Every rule that concurrency could break is checked
-- here, atomically: blocked account, ban, draw still open, one entry per person per draw, one active
-- entry or appointment per person across all offices.
-- KEYS[1] draw meta hash      KEYS[2] draw entries hash   KEYS[3] draw persons hash (nikHash → ticket)
-- KEYS[4] person's active key KEYS[5] nik hash (ban)      KEYS[6] account entries hash
-- KEYS[7] office draw index   KEYS[8] account hash
-- ARGV[1] ticket  ARGV[2] packed entry  ARGV[3] nikHash  ARGV[4] fresh seed  ARGV[5] its commitment
-- ARGV[6] now ms  ARGV[7] target date   ARGV[8] draw date ARGV[9] draw index score
-- ARGV[10] account entry JSON            ARGV[11] active pointer "officeId|drawDate|ticket"
-- ARGV[12] office id
-- Returns {1, entry count} | {-1, ticket} already in this draw | {-2, pointer} active elsewhere
--       | {-3, state} draw not open | {-4, bannedUntil ms} banned | {-5, ''} account blocked
if redis.call('HGET', KEYS[8], 'blocked') == '1' then
  return {-5, ''}
end
local bannedUntil = tonumber(redis.call('HGET', KEYS[5], 'bannedUntil') or '0')
if bannedUntil > tonumber(ARGV[6]) then
  return {-4, tostring(bannedUntil)}
end
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  -- First entry opens the draw: the seed is fixed now and only its commitment is ever shown before the draw.
  redis.call('HSET', KEYS[1], 'state', 'open', 'officeId', ARGV[12], 'drawDate', ARGV[8], 'targetDate', ARGV[7],
    'seed', ARGV[4], 'commitment', ARGV[5], 'openedAt', ARGV[6])
  redis.call('ZADD', KEYS[7], ARGV[9], ARGV[8])
elseif state ~= 'open' then
  return {-3, state}
end
local existing = redis.call('HGET', KEYS[3], ARGV[3])
if existing then
  return {-1, existing}
end
local active = redis.call('GET', KEYS[4])
if active then
  return {-2, active}
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
redis.call('SET', KEYS[4], ARGV[11])
redis.call('HSET', KEYS[6], ARGV[1], ARGV[10])
return {1, redis.call('HLEN', KEYS[2])}
