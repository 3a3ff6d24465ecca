-- Move an appointment from one state to another, atomically, recording time and cause. Leaving a
-- holding state (offered, confirmed, checked_in) for a released one gives the place back.
-- KEYS[1] appointment hash   KEYS[2] day held counters   KEYS[3] open offers zset
-- ARGV[1] allowed from-states, comma-separated   ARGV[2] to-state   ARGV[3] now ms   ARGV[4] cause
-- ARGV[5] deadline rule: 'before' (now must be before the deadline), 'after' (at or after it), or '-'
-- The caller releases the person's active slot afterwards when the appointment ends (another slot).
-- Returns {1, from-state} | {-1, state} wrong state | {-2, state} deadline rule not met | {-3, ''} unknown
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return {-3, ''}
end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do
  if s == state then allowed = true end
end
if not allowed then
  return {-1, state}
end
local now = tonumber(ARGV[3])
local deadline = tonumber(redis.call('HGET', KEYS[1], 'deadline') or '0')
if ARGV[5] == 'before' and now >= deadline then
  return {-2, state}
end
if ARGV[5] == 'after' and now < deadline then
  return {-2, state}
end
local holding = {offered = true, confirmed = true, checked_in = true}
if holding[state] and not holding[ARGV[2]] then
  redis.call('HINCRBY', KEYS[2], redis.call('HGET', KEYS[1], 'sessionId'), -1)
end
if state == 'offered' then
  redis.call('ZREM', KEYS[3], redis.call('HGET', KEYS[1], 'code'))
end
local history = cjson.decode(redis.call('HGET', KEYS[1], 'history') or '[]')
table.insert(history, {state = ARGV[2], at = now, cause = ARGV[4]})
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'history', cjson.encode(history), ARGV[2] .. 'At', ARGV[3])
return {1, state}
