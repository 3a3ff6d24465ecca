-- Undo a NIK binding made by a person registration that the household limit then refused.
-- KEYS[1] nik hash
-- ARGV[1] account id   ARGV[2] person id
-- Returns 1 unbound | 0 not bound to that account and person
if redis.call('HGET', KEYS[1], 'accountId') == ARGV[1] and redis.call('HGET', KEYS[1], 'personId') == ARGV[2] then
  redis.call('HDEL', KEYS[1], 'accountId', 'personId')
  return 1
end
return 0
