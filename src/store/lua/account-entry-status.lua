-- Set the status of one entry in an account's own list (withdrawn, void).
-- KEYS[1] account entries hash
-- ARGV[1] ticket   ARGV[2] status   ARGV[3] ended at (ISO)
-- Returns 1 updated | 0 no such entry
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then
  return 0
end
local entry = cjson.decode(record)
entry['status'] = ARGV[2]
entry['endedAt'] = ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
return 1
