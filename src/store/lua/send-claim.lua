-- Claim one message's send record for a try, with a lease, before the provider is called.
-- KEYS[1] send record hash
-- ARGV[1] now (ms, wall clock)   ARGV[2] lease (ms)   ARGV[3] owner (this try)   ARGV[4] channel
-- ARGV[5] record TTL (ms)
-- Returns {'sent'|'failed', 0, ''} already done | {'busy', leaseUntil, ''} another try holds the lease
--       | {'claimed', attempt, previous state or '', previous try's claim time (ms) or 0}
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' or state == 'failed' then return {state, 0, ''} end
if state == 'sending' then
  local lease = tonumber(redis.call('HGET', KEYS[1], 'leaseUntil') or '0')
  if lease > tonumber(ARGV[1]) then return {'busy', lease, ''} end
end
local previousClaim = tonumber(redis.call('HGET', KEYS[1], 'claimedAt') or '0')
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'sending', 'leaseUntil', tonumber(ARGV[1]) + tonumber(ARGV[2]),
  'owner', ARGV[3], 'channel', ARGV[4], 'claimedAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {'claimed', attempts, state or '', previousClaim}
