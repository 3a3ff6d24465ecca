-- A whole join behind its gate, in one script and one round trip, for a single Redis server: the checks of
-- join-gate.lua (session, CSRF token, account, the account's hourly join limit, the person), then, when all
-- pass, the whole join of entry-join-whole.lua for that person. Both run as included, unchanged, so this
-- path cannot drift from the gate on its own or from the join in steps. On Redis Cluster the gate's keys
-- and the join's live in different slots, and the two run as separate scripts.
-- The person's nik hash key is read from the person record here: the caller cannot know it before the
-- gate has read the person, and on a single server every key is reachable.
-- KEYS[1..4] the gate's (session hash, account hash, join counter, persons hash)
-- KEYS[5] single-use marker (ignored when ARGV[6] is 0)   KEYS[6] draw meta hash
-- KEYS[7] the draw's entries bucket of this ticket   KEYS[8] office draw index
-- ARGV[1..5] the gate's (account id, CSRF token, limit, window seconds, person id)
-- ARGV[6] marker lifetime in seconds, 0 for none   ARGV[7], ARGV[8] the nik hash key around the nik hash
-- ARGV[9] the rules' priority category ids as ",a,b,"   ARGV[10] the packed entry's "accountId|personId"
-- ARGV[11] the preferred session ids as "a,b" ('' for any)
-- ARGV[12..21] entry-join-whole's ARGV[2..4] and ARGV[6..12]: claim pointer, now ms, ticket, candidate
-- seed, its commitment, target date, draw date, draw index score, office id, packed account entry
-- ARGV[22..] the account fields the gate returns
-- Returns {join status, join detail, category or '', gate reply...} where the gate reply is join-gate's and
-- the join's status and detail are entry-join-whole's, or 0 and '' when the gate stopped the join (refused,
-- over the limit, or no such person).
--- @include "join-gate"
--- @include "entry-join-whole"

local gateArgv = {ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]}
for i = 22, #ARGV do
  gateArgv[#gateArgv + 1] = ARGV[i]
end
local gate = join_gate({KEYS[1], KEYS[2], KEYS[3], KEYS[4]}, gateArgv)
if gate[1] ~= 1 or gate[2] ~= 1 or not gate[4] then
  return {0, '', '', unpack(gate)}
end

local person = cjson.decode(gate[4])
local category = person.category
if type(category) ~= 'string' or not string.find(ARGV[9], ',' .. category .. ',', 1, true) then
  category = ''
end
-- packEntry (entry-codec.ts) for a first entry (no losses): trailing empty fields are left out.
local packed = ARGV[10] .. '|' .. person.nikHash
if ARGV[11] ~= '' then
  packed = packed .. '|' .. category .. '||' .. ARGV[11]
elseif category ~= '' then
  packed = packed .. '|' .. category
end
local nikKey = ARGV[7] .. person.nikHash .. ARGV[8]
local marker = KEYS[5]
if ARGV[6] == '0' then
  marker = nikKey
end

local joined = entry_join_whole({marker, nikKey, KEYS[6], KEYS[7], KEYS[8], KEYS[2]},
  {ARGV[6], ARGV[12], ARGV[13], ARGV[14], packed, ARGV[15], ARGV[16], ARGV[17], ARGV[18], ARGV[19],
   ARGV[20], ARGV[21]})
return {joined[1], joined[2], category, unpack(gate)}
