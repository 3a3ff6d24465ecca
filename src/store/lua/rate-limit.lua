-- Fixed-window counter.
-- KEYS[1] counter key for this window   ARGV[1] limit   ARGV[2] window seconds
-- Returns {allowed (1/0), count, ttl seconds}.
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
local ttl = redis.call('TTL', KEYS[1])
if n > tonumber(ARGV[1]) then
  return {0, n, ttl}
end
return {1, n, ttl}
