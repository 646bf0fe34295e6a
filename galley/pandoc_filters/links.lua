-- Link targets percent-encoded where a URL needs it. Run after citeproc, which writes a
-- reference's DOI or URL into a link exactly as typed: reserved and unreserved characters
-- and existing escapes stay (RFC 3986); "[", "]", spaces, "<", non-ASCII bytes are encoded,
-- as every validator demands.
local function encode(url)
  return (url:gsub("[^%w%-%._~:/%?#@!%$&'%(%)%*%+,;=%%]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function Link(link)
  link.target = encode(link.target)
  return link
end
