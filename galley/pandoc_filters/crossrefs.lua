-- Cross-references, set apart before citeproc sees them (galley/xrefs.py resolves them).
--
-- Quarto writes a cross-reference as a citation of a key with a reserved prefix (@fig-map,
-- [-@tbl-results]); citeproc would report it as an unknown reference, or number it in a
-- numeric style. Each run of such keys in a citation group becomes a Span of class
-- "galley-xref" holding one Span per key (its id and citation mode, its prefix and suffix
-- kept as inlines); the bibliography keys around it stay citations (`@sec-a [@smith2000]`
-- is one group for pandoc).
local PREFIXES = { fig = true, tbl = true, eq = true, sec = true }

local function is_xref(id)
  local prefix = id:match("^(%a+)%-")
  return prefix ~= nil and PREFIXES[prefix] == true
end

local function xref_span(citations)
  local items = {}
  for _, citation in ipairs(citations) do
    local parts = {
      pandoc.Span(citation.prefix, { class = "galley-xref-prefix" }),
      pandoc.Span(citation.suffix, { class = "galley-xref-suffix" }),
    }
    table.insert(items, pandoc.Span(parts, {
      class = "galley-xref-item",
      ["xref-id"] = citation.id,
      ["xref-mode"] = citation.mode,
    }))
  end
  return pandoc.Span(items, { class = "galley-xref" })
end

function Cite(cite)
  local runs, any = {}, false
  for _, citation in ipairs(cite.citations) do
    local xref = is_xref(citation.id)
    any = any or xref
    local last = runs[#runs]
    if last == nil or last.xref ~= xref then
      last = { xref = xref, citations = {} }
      table.insert(runs, last)
    end
    table.insert(last.citations, citation)
  end
  if not any then
    return nil
  end
  local out = {}
  for index, run in ipairs(runs) do
    if index > 1 then
      table.insert(out, pandoc.Space())
    end
    if run.xref then
      table.insert(out, xref_span(run.citations))
    else
      table.insert(out, pandoc.Cite({}, run.citations))
    end
  end
  return out
end
