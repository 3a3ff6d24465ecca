-- Last step of a NIK hash move: the old person keys are no longer read by anyone, so the strikes go and
-- the old binding (with its fence) expires. It stays a while so a request that read the person record
-- before the move still meets the fence.
-- KEYS[1] old nik hash   KEYS[2] old person's strikes zset
-- ARGV[1] lifetime ms of the old binding
-- Returns 1
redis.call('DEL', KEYS[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
