-- Withdraw (by the applicant) or void (by an admin block) an entry while its draw is still open.
-- KEYS[1] draw meta hash   KEYS[2] draw entries hash   KEYS[3] draw persons hash
-- KEYS[4] person's active key   KEYS[5] account entries hash
-- ARGV[1] ticket   ARGV[2] account id   ARGV[3] new status (withdrawn|void)   ARGV[4] now ISO
-- ARGV[5] active pointer of this entry
-- Returns 1 done | -1 no such entry of this account | -3 draw no longer open
local packed = redis.call('HGET', KEYS[2], ARGV[1])
local record = redis.call('HGET', KEYS[5], ARGV[1])
if not packed or not record then
  return -1
end
local accountId, personId, nikHash = string.match(packed, '^([^|]*)|([^|]*)|([^|]*)|')
if accountId ~= ARGV[2] then
  return -1
end
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then
  return -3
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], nikHash)
if redis.call('GET', KEYS[4]) == ARGV[5] then
  redis.call('DEL', KEYS[4])
end
local entry = cjson.decode(record)
entry['status'] = ARGV[3]
entry['endedAt'] = ARGV[4]
redis.call('HSET', KEYS[5], ARGV[1], cjson.encode(entry))
return 1
