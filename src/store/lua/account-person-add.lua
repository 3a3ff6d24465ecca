-- Add a person to an account within the household limit. Idempotent for a person already there.
-- KEYS[1] account persons hash   KEYS[2] account hash
-- ARGV[1] person id   ARGV[2] person JSON   ARGV[3] household limit
-- Returns {1} added | {0} already there | {-2, first} over the limit (first = 1 the first time: flag it)
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return {0, 0}
end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  redis.call('HINCRBY', KEYS[2], 'householdOverflows', 1)
  return {-2, redis.call('HSETNX', KEYS[2], 'flag:household_limit', 1)}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {1, 0}
