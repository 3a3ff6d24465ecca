-- Give back the place reserved for a person moved from a closed day, when they give the moved offer up
-- while that day's draw is still open: the draw then seats one more winner in it. After the close the
-- draw has read the reservations, so the place goes to the day's waitlist instead (offerNext).
-- Marked on the released appointment, so a retried job gives a place back only once.
-- KEYS[1] the draw hash of the day (field `state`)   KEYS[2] the day's reserved hash (session → count)
-- KEYS[3] the released appointment's hash (field `unreserved`)
-- ARGV[1] session id
-- Returns 1 given back to the draw | 0 the draw has closed | -1 given back already
if redis.call('HGET', KEYS[3], 'unreserved') then
  return -1
end
local state = redis.call('HGET', KEYS[1], 'state')
if state and state ~= 'open' then
  return 0
end
if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') > 0 then
  redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
end
redis.call('HSET', KEYS[3], 'unreserved', '1')
return 1
