-- Set the status of one entry in an account's own list (withdrawn, void), packed as in
-- src/store/account-entry-codec.ts: field 7 is the status letter, field 10 the end time.
-- KEYS[1] account hash
-- ARGV[1] ticket (the entry's field)   ARGV[2] status letter   ARGV[3] ended at (epoch ms, base 36)
-- Returns 1 updated | 0 no such entry
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then
  return 0
end
local fields = {}
for f in string.gmatch(record .. '|', '([^|]*)|') do
  table.insert(fields, f)
end
while #fields < 10 do
  table.insert(fields, '')
end
fields[7] = ARGV[2]
fields[10] = ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], table.concat(fields, '|', 1, 10))
return 1
