-- Record that the provider accepted the message. A late 'sent' overrides anything but an earlier 'sent':
-- the provider did accept this copy.
-- KEYS[1] send record hash
-- ARGV[1] provider id or ''   ARGV[2] sent at (ISO)   ARGV[3] SMS segments or ''   ARGV[4] record TTL (ms)
-- Returns 1 recorded by this call | 0 an earlier try had already recorded it
if redis.call('HGET', KEYS[1], 'state') == 'sent' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'sent', 'providerId', ARGV[1], 'sentAt', ARGV[2], 'segments', ARGV[3])
redis.call('HDEL', KEYS[1], 'leaseUntil', 'owner', 'lastError')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
