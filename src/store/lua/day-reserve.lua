-- Reserve one place in a session of a later day for a person moved from a closed day, only while that
-- day's draw has not closed: the draw reads the reservations once it is closed and seats its winners in
-- the capacity left, so a reservation after the close could overfill the session.
-- KEYS[1] the draw hash of the day (field `state`)   KEYS[2] the day's reserved hash (session → count)
-- KEYS[3] the day's held hash (session → places held)
-- ARGV[1] session id   ARGV[2] session capacity
-- Returns 1 reserved | 0 the draw has closed | -1 the session is full
local state = redis.call('HGET', KEYS[1], 'state')
if state and state ~= 'open' then
  return 0
end
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if held >= tonumber(ARGV[2]) then
  return -1
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1
