-- Bind a national ID (by its keyed hash) to one account, within the household limit.
-- KEYS[1] nik hash key   KEYS[2] account persons hash   KEYS[3] account hash   KEYS[4] flags list
-- ARGV[1] account id   ARGV[2] person id   ARGV[3] person JSON   ARGV[4] household limit
-- ARGV[5] flag JSON for a NIK conflict   ARGV[6] flag JSON for a household overflow
-- Returns {1, personId} added | {0, personId} already on this account | {-1, ''} NIK on another account
--       | {-2, ''} household limit reached.
-- Flags are recorded once per account and reason; the account hash counts every attempt as evidence.
local owner = redis.call('HGET', KEYS[1], 'accountId')
if owner and owner ~= ARGV[1] then
  redis.call('HINCRBY', KEYS[3], 'nikConflicts', 1)
  if redis.call('HSETNX', KEYS[3], 'flag:nik_conflict', 1) == 1 then
    redis.call('RPUSH', KEYS[4], ARGV[5])
  end
  return {-1, ''}
end
if owner == ARGV[1] then
  return {0, redis.call('HGET', KEYS[1], 'personId')}
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then
  redis.call('HINCRBY', KEYS[3], 'householdOverflows', 1)
  if redis.call('HSETNX', KEYS[3], 'flag:household_limit', 1) == 1 then
    redis.call('RPUSH', KEYS[4], ARGV[6])
  end
  return {-2, ''}
end
redis.call('HSET', KEYS[1], 'accountId', ARGV[1], 'personId', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return {1, ARGV[2]}
