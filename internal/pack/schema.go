package pack

// node describes what JSON may appear at one place in pack.json, so the walk
// can report unknown keys (typos such as "arested") and wrong types with
// their exact path, and refuse lists and objects longer than the limits.
type node struct {
	kind byte             // 'o' object, 'a' array, 's' string, 'n' number, 'i' whole number, 'b' bool, 't' text, 'm' map of any key
	keys map[string]*node // for 'o'
	elem *node            // for 'a' and 'm'
	max  int              // entries allowed in an 'a', 'm' or 't'; for 'o' MaxKeys
	noun string           // what the entries are, for the limit's message
}

var (
	str   = &node{kind: 's'}
	num   = &node{kind: 'n'}
	whole = &node{kind: 'i'}
	boolN = &node{kind: 'b'}
	text  = &node{kind: 't', max: MaxLanguages, noun: "languages"}
)

func obj(keys map[string]*node) *node {
	return &node{kind: 'o', keys: keys, max: MaxKeys, noun: "keys"}
}

func list(elem *node, max int, noun string) *node {
	return &node{kind: 'a', elem: elem, max: max, noun: noun}
}

func dict(elem *node, max int, noun string) *node {
	return &node{kind: 'm', elem: elem, max: max, noun: noun}
}

var manifestSchema = obj(map[string]*node{
	"format": whole, "id": str, "version": str, "title": text,
	"publisher": obj(map[string]*node{"name": str, "url": str}),
	"published": str, "review_by": str,
	"languages":          list(str, MaxLanguages, "languages"),
	"allowed_link_hosts": list(str, MaxLinkHosts, "hosts"),
	"stats": list(obj(map[string]*node{
		"label": text, "value": num, "as_of": str, "source": str, "source_url": str,
	}), MaxStats, "figures"),
	"actions": list(obj(map[string]*node{"kind": str, "url": str, "label": text}), MaxActions, "actions"),
	"letter_rules": dict(obj(map[string]*node{
		"languages": list(str, MaxLanguages, "languages"), "note": text,
	}), MaxLetterRules, "countries"),
	"files": dict(str, MaxFiles, "files"),
	"days": list(obj(map[string]*node{
		"date": str, "title": text, "people": list(str, MaxPeople, "people"),
	}), MaxDays, "days"),
	"people": list(personSchema, MaxPeople, "people"),
})

var personSchema = obj(map[string]*node{
	"id": str, "name": text, "country": str, "photo": str, "photo_credit": str, "status": str,
	"born": str, "arrested": str, "released": str, "died": str,
	"sentence": text, "occupation": text, "bio": text,
	"charges":  list(obj(map[string]*node{"code": str, "label": text}), MaxCharges, "charges"),
	"facility": obj(map[string]*node{"name": text, "address": str}),
	"links":    list(obj(map[string]*node{"kind": str, "url": str}), MaxLinks, "links"),
	"consent":  obj(map[string]*node{"photo": boolN, "address": boolN}),
	"contact":  str, "weight": num, "verified": str, "gender": str,
	"source": obj(map[string]*node{"name": str, "url": str}),
})

// anyList and anyObject bound what sits under an unknown key.
var (
	anyList   = &node{max: MaxElements, noun: "entries"}
	anyObject = &node{max: MaxElements, noun: "keys"}
)

var kindName = map[byte]string{
	'o': "an object", 'a': "a list", 's': "text", 'n': "a number", 'i': "a whole number", 'b': "true or false",
	't': "text or an object of texts by language", 'm': "an object",
}
