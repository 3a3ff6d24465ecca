-- Count an abuse signal on an account and report whether it is the first of its kind (to flag once).
-- KEYS[1] account hash
-- ARGV[1] counter field   ARGV[2] flag reason
-- Returns 1 the first time this reason is seen for the account, else 0
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return redis.call('HSETNX', KEYS[1], 'flag:' .. ARGV[2], 1)
