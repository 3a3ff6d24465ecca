-- Bind a national ID (by its keyed hash) to one account: the first account to register a NIK owns it.
-- KEYS[1] nik hash
-- ARGV[1] account id   ARGV[2] person id (used when the NIK is new)
-- Returns {1, personId} bound now | {0, personId} already this account's | {-1, ''} another account's
local owner = redis.call('HGET', KEYS[1], 'accountId')
if owner and owner ~= ARGV[1] then
  return {-1, ''}
end
if owner == ARGV[1] then
  return {0, redis.call('HGET', KEYS[1], 'personId')}
end
redis.call('HSET', KEYS[1], 'accountId', ARGV[1], 'personId', ARGV[2])
return {1, ARGV[2]}
