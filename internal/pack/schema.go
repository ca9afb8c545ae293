package pack

// node describes what JSON may appear at one place in pack.json, so the walk
// can report unknown keys (typos such as "arested") and wrong types with
// their exact path.
type node struct {
	kind byte             // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 't' text, 'm' map of any key
	keys map[string]*node // for 'o'
	elem *node            // for 'a' and 'm'
}

var (
	str    = &node{kind: 's'}
	num    = &node{kind: 'n'}
	boolN  = &node{kind: 'b'}
	text   = &node{kind: 't'}
	strArr = &node{kind: 'a', elem: str}
)

func obj(keys map[string]*node) *node { return &node{kind: 'o', keys: keys} }

var manifestSchema = obj(map[string]*node{
	"format": num, "id": str, "version": str, "title": text,
	"publisher": obj(map[string]*node{"name": str, "url": str}),
	"published": str, "review_by": str, "languages": strArr, "allowed_link_hosts": strArr,
	"stats": {kind: 'a', elem: obj(map[string]*node{
		"label": text, "value": num, "as_of": str, "source": str, "source_url": str,
	})},
	"actions":      {kind: 'a', elem: obj(map[string]*node{"kind": str, "url": str, "label": text})},
	"letter_rules": {kind: 'm', elem: obj(map[string]*node{"languages": strArr, "note": text})},
	"files":        {kind: 'm', elem: str},
	"people":       {kind: 'a', elem: personSchema},
})

var personSchema = obj(map[string]*node{
	"id": str, "name": text, "country": str, "photo": str, "photo_credit": str, "status": str,
	"born": str, "arrested": str, "released": str, "died": str,
	"sentence": text, "occupation": text, "bio": text,
	"charges":  {kind: 'a', elem: obj(map[string]*node{"code": str, "label": text})},
	"facility": obj(map[string]*node{"name": text, "address": str}),
	"links":    {kind: 'a', elem: obj(map[string]*node{"kind": str, "url": str})},
	"consent":  obj(map[string]*node{"photo": boolN, "address": boolN}),
	"contact":  str, "weight": num, "verified": str,
	"source": obj(map[string]*node{"name": str, "url": str}),
})

var kindName = map[byte]string{'o': "an object", 'a': "a list", 's': "text", 'n': "a number", 'b': "true or false", 't': "text or an object of texts by language", 'm': "an object"}
