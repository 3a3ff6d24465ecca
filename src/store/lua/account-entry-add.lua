-- The account step of a join: record the entry in the account's own list, and report whether the
-- account was blocked meanwhile (the caller then voids the entry it just made).
-- KEYS[1] account hash
-- ARGV[1] ticket   ARGV[2] packed account entry record
-- Returns 1 if the account is blocked, else 0.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('HGET', KEYS[1], 'blocked') == '1' then
  return 1
end
return 0
