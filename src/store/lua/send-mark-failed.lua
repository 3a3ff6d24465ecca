-- Record that the message will not be sent (permanent refusal, last attempt, account gone).
-- KEYS[1] send record hash
-- ARGV[1] owner (this try; '' when nothing was claimed)   ARGV[2] error   ARGV[3] failed at (ISO)
-- ARGV[4] record TTL (ms)
-- Returns 1 recorded by this call | 0 already done, or another try holds the lease
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' or state == 'failed' then return 0 end
if state == 'sending' and redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'failed', 'lastError', ARGV[2], 'failedAt', ARGV[3])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'owner')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
