-- Offer a place in a session to a ticket (a draw winner or the next waitlisted entry). A ticket gets at
-- most one appointment ever, and a session never holds more than its capacity.
-- KEYS[1] ticket → code hash of the draw   KEYS[2] appointment hash (for ARGV[1])
-- KEYS[3] day held counters   KEYS[4] day appointments set   KEYS[5] day waitlist zset
-- KEYS[6] open offers zset
-- ARGV[1] code  ARGV[2] ticket  ARGV[3] session id  ARGV[4] capacity  ARGV[5] deadline ms  ARGV[6] now ms
-- ARGV[7] appointment fields JSON (flat object of strings)  ARGV[8] cause
-- The caller then records the code in the global code index and the account's list (other slots).
-- Returns {1, code} offered | {0, existing code} ticket already has one | {-1, ''} session full
local existing = redis.call('HGET', KEYS[1], ARGV[2])
if existing then
  return {0, existing}
end
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[3]) or '0')
if held >= tonumber(ARGV[4]) then
  return {-1, ''}
end
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
local fields = cjson.decode(ARGV[7])
for k, v in pairs(fields) do
  redis.call('HSET', KEYS[2], k, v)
end
local history = cjson.encode({{state = 'offered', at = tonumber(ARGV[6]), cause = ARGV[8]}})
redis.call('HSET', KEYS[2], 'code', ARGV[1], 'ticket', ARGV[2], 'sessionId', ARGV[3], 'state', 'offered',
  'deadline', ARGV[5], 'offeredAt', ARGV[6], 'history', history)
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[2])
redis.call('ZADD', KEYS[6], ARGV[5], ARGV[1])
return {1, ARGV[1]}
