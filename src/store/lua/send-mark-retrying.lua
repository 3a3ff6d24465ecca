-- Give the lease back after a transient failure. Only the try holding the lease may release it; a stale
-- try must not free a lease someone else holds.
-- KEYS[1] send record hash
-- ARGV[1] owner (this try)   ARGV[2] error
-- Returns 1 released | 0 not held by this try
if redis.call('HGET', KEYS[1], 'state') ~= 'sending' or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'retrying', 'lastError', ARGV[2])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'owner')
return 1
