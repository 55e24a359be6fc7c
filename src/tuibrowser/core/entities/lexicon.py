"""Word lists the discovery rules rely on: titles, demonyms, organisation and place words.

Kept as plain sets so they can be read, diffed and extended. All entries are folded
(lower case, no accents).
"""

from __future__ import annotations

# Words that precede a person's name and say it is a person.
PERSON_TITLES = frozenset(
    """mr mrs ms miss dr pm sir dame lord lady duke duchess earl princes baroness baron president vice prime
    minister ministers chancellor
    secretary foreign home shadow deputy spokesman spokeswoman spokesperson senator sen rep representative
    governor general gen colonel col captain capt major admiral sergeant sgt lieutenant lt king queen prince
    princess pope ambassador judge professor prof chairman chairwoman chairperson chief executive ceo mp mep
    leader commissioner mayor archbishop bishop rev reverend father sheikh ayatollah emir premier director
    boss coach manager striker midfielder defender goalkeeper actor actress singer rapper author writer
    playwright novelist composer presenter anchor correspondent editor state defence defense
    health education interior culture trade industry environment transport work pensions affairs finance
    economy justice energy attorney comptroller treasurer officer""".split()
)

# Capitalised words that begin sentences but are not names.
COMMON_WORDS = frozenset(
    """a about above according across after afterwards again against all almost along already also although
    always am among an and another any anyone anything are around as at back be because been before behind
    being below beside besides between beyond both but by can cannot could despite did do does doing done
    down during each either else even ever every everyone everything few first for from further had has have
    having he her here hers herself him himself his how however i if in including inside instead into is it
    its itself just last later least less let like many may me meanwhile might more moreover most much must
    my myself neither never nevertheless next no nobody none nor not nothing now of off often on once one
    only or other others otherwise our ours out over own perhaps please rather same several she should
    since so some someone something sometimes soon still such than that the their theirs them themselves
    then there therefore these they this those though through throughout thus to today together tomorrow
    too toward towards under unless until up upon us very via was we well were what whatever when whenever
    where whereas wherever whether which while who whoever whole whom whose why will with within without
    would yes yesterday yet you your yours yourself yourselves speaking asked asking said says saying told
    tonight overall instead indeed ahead amid earlier initially finally recently currently elsewhere
    nonetheless separately similarly meanwhile consequently additionally analysts critics officials experts
    sources observers reports reporters residents protesters demonstrators people many some most several
    new old big top key major senior former latest early late high low open closed free full half more
    less about around nearly almost just only even also still already again per cent percent one two three
    four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million
    billion dozens hundreds thousands millions ex former late""".split()
)

MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues
    wed thu thur thurs fri sat sun christmas easter""".split()
)

# Nationality and group adjectives: names of no entity by themselves ("Russian", "Armenians").
DEMONYMS = frozenset(
    """afghan african albanian algerian american americans arab arabs argentine argentinian armenian armenians
    asian australian austrian azerbaijani azerbaijanis azeri azeris balkan baltic bangladeshi belarusian
    belgian bosnian brazilian british briton britons bulgarian burmese cambodian canadian catalan caucasian
    chechen chilean chinese colombian congolese croatian cuban cypriot czech danish dutch egyptian english
    eritrean estonian ethiopian european europeans filipino finnish french georgian georgians german germans
    greek haitian hungarian icelandic indian indonesian iranian iranians iraqi iraqis irish israeli israelis
    italian jamaican japanese jewish jordanian kazakh kenyan korean kosovar kurdish kurds kuwaiti kyrgyz
    latvian lebanese libyan lithuanian macedonian malaysian maltese mexican moldovan mongolian montenegrin
    moroccan muslim muslims christian christians nepali nigerian norwegian pakistani palestinian palestinians
    persian peruvian polish portuguese romanian russian russians saudi scottish serb serbian serbs slovak
    slovenian somali soviet spanish sudanese swedish swiss syrian syrians taiwanese tajik thai tibetan turkish
    turkmen turks ukrainian ukrainians uzbek venezuelan vietnamese welsh western eastern northern southern
    yemeni zimbabwean conservative liberal democratic republican socialist labourite tory catholic protestant
    sunni shia""".split()
)

# A name ending in (or, for multi-word names, containing) one of these is an organisation.
ORG_WORDS = frozenset(
    """party parties ministry ministries council court courts committee commission bank union agency association
    organisation organization institute university college school corporation corp company co group inc ltd
    plc llc office department service services authority assembly parliament congress senate government
    federation league forum fund network news times post daily herald guardian telegraph journal radio tv
    television press tribunal commons lords cabinet treasury army navy police force forces club fc
    airlines airways foundation trust society alliance coalition front movement board bureau centre center
    institution reserve exchange industries motors systems technologies labs studios records party's lines
    holdings partners enterprises communications telecom pharmaceuticals petroleum research economics
    consulting associates films pictures productions
    democrats dems republicans conservatives tories socialists greens liberals unionists nationalists mission
    brigade regiment guard command council's secretariat directorate inspectorate watchdog""".split()
)

# A name ending in one of these is a law, a treaty or a programme ("Maastricht Treaty",
# "Export Enhancement Program", "Marshall Plan"): no person, organisation or place, which
# were the only kinds left to it (at 29,000 articles "Export Enhancement Program" was a
# person in 52). Left out, as events and prizes are.
DOCUMENT_WORDS = frozenset(
    """treaty treaties convention conventions accord accords pact agreement act bill plan program programme
    scheme initiative protocol charter doctrine declaration""".split()
)

# Legal forms of companies: a name ending in one is an organisation ("Commerzbank AG",
# "Total SA"), and a name made only of them ("Co Inc" of "Morgan Stanley and Co Inc") is
# the tail of one, no name of its own. Only as the last word of a longer name: "SA" and
# "AB" alone may be anything.
LEGAL_FORMS = frozenset(
    """inc corp co ltd plc llc llp lp ag sa nv bv gmbh kgaa spa srl sarl ab asa oyj kk bhd pty pte""".split()
)

# A name ending in one of these is a place.
PLACE_WORDS = frozenset(
    """river sea ocean island islands mountains mountain valley lake bay gulf province county region city
    state district street square road avenue airport peninsula strait desert coast border capital village
    town tower bridge prison palace castle cathedral park theatre theater hotel stadium arena museum cinema
    hospital station airport mosque""".split()
)

# Words that head an organisation's name when "of" follows ("Bank of England").
ORG_HEADS = frozenset(
    {
        "bank",
        "house",
        "ministry",
        "department",
        "office",
        "university",
        "council",
        "court",
        "committee",
        "commission",
        "institute",
        "league",
        "union",
        "federation",
        "party",
        "board",
        "bureau",
        "church",
    }
)

# Titles kept in the name when only a given name follows: "Prince Charles", "Sir Elton".
ROYAL_TITLES = frozenset({"prince", "princess", "king", "queen", "pope", "sir", "dame", "lord", "lady"})

# One-word organisations news names without an organisation word: parties and movements.
KNOWN_ORGANIZATIONS = frozenset(
    """labour tories conservatives democrats republicans likud hamas hezbollah fatah taliban nato opec
    interpol europol greenpeace oxfam amnesty unicef unesco""".split()
)

# A name ending in one of these is an event, a prize or a contest ("Tony Award", "World Cup",
# "US Open"): no person, organisation or place, so discovery leaves it out.
EVENT_WORDS = frozenset(
    """award awards prize prizes trophy cup festival championship championships games olympics open
    marathon final finals tournament series derby""".split()
)

# A name after "<one of these> of" is a place: "the village of Sotk", "the city of Kirkuk".
PLACE_OF_WORDS = frozenset(
    """village villages town towns city cities region regions province provinces district districts county
    republic state island islands port""".split()
)

# A name starting with one of these is a place: "Lake Sevan", "Mount Aragats".
PLACE_PREFIXES = frozenset({"lake", "mount", "mt", "river", "gulf", "cape", "fort", "port", "lake's"})

# Places the gazetteers lack, as news names them: the UK's nations, regions of the world
# and of England (GeoNames lists countries and cities, not these).
EXTRA_PLACES = frozenset(
    """england|scotland|wales|northern ireland|britain|great britain|middle east|far east|near east|
    caucasus|south caucasus|north caucasus|balkans|western balkans|gulf|persian gulf|central asia|
    east asia|south asia|southeast asia|south east asia|latin america|west africa|east africa|
    north africa|southern africa|sub saharan africa|horn of africa|eastern europe|western europe|
    central europe|scandinavia|baltics|the west|north west|north east|south west|south east|
    east midlands|west midlands|east anglia|home counties|west bank|gaza strip|gaza|
    kashmir|kurdistan|tibet|siberia|crimea|donbas|donbass|chechnya|darfur|palestine""".split("|")
)
EXTRA_PLACES = frozenset(" ".join(place.split()) for place in EXTRA_PLACES)

# Acronyms that are places, not organisations.
PLACE_ACRONYMS = frozenset({"uk", "us", "usa", "uae", "drc", "prc", "ussr", "u.s.", "u.k.", "u.s.a."})

# A single word after one of these, with no other evidence, is taken for a place.
PLACE_PREPOSITIONS = frozenset({"in", "from", "near", "outside", "across", "throughout", "into", "inside"})

# Words that may join capitalised words inside one name ("House of Commons", "Charles de Gaulle").
CONNECTORS = frozenset(
    {"of", "for", "de", "du", "des", "la", "le", "van", "von", "der", "den", "al", "bin", "da", "di", "del"}
)

# Common given names, across the languages news reports on: a name with no other evidence
# is taken for a person only when it starts with one of these.
FIRST_NAMES = frozenset(
    """aaron abdul abdullah adam adrian ahmad ahmed aisha alan alastair albert alex alexander alexei alexey
    alfred ali alice alison amanda amir amy ana andrea andrei andrew andrey angela angelina ann anna anne annie
    anthony antonio antony arnold arthur ashley ayman barack barbara barry ben benjamin bernard bernie bill
    billy bob boris brad brendan brian bruce carl carlos carol caroline catherine charles charlie charlotte
    chris christian christine christopher claire clare colin craig dan daniel danny dave david dean deborah
    denis dennis derek diana diane dick dmitry dominic don donald doug douglas duncan ed eddie edward elena
    elizabeth ellen emily emma emmanuel eric ernest eva fatima frank fred frederick gareth gary gavin geoff
    geoffrey george gerald gerhard gerry gillian gloria gordon graham greg gregory hamid hans harold harriet
    harry hassan heather helen henry hillary howard hugh hugo ian igor ilham imran irene isaac ivan jack
    jacob jacques james jamie jan jane janet jason jean jeff jennifer jeremy jerry jessica jim jimmy joan
    joe john johnny jon jonathan jose joseph josh joshua joyce juan judith julia julian julie justin karen
    kate katherine kathleen keith kelly ken kenneth kevin kim kofi lars laura lauren lee leo leon leonard
    lewis liam linda lisa liz louis louise lucy luis mahmoud malcolm marcus margaret maria marie mario mark
    martin mary matt matthew maurice max melanie michael michel michelle mike mikhail mohamed mohammed
    mohammad muhammad nancy natalie neil nelson nicholas nick nicola nicolas nigel nikol nikolai noel norman
    oliver olivia omar oscar owen pamela patricia patrick paul paula pavel pedro peter philip phillip pierre
    rachel ralph raymond rebecca recep richard rick rita rob robert robin roger ronald rosa ross roy ruth
    ryan sadiq saddam sally sam samuel sandra sara sarah scott sean sebastian sergei sergey shaun sharon
    sheila silvio simon sophie stephen steve steven stuart sue susan tariq ted teresa terry thomas tim
    timothy tom tommy tony tracy trevor valerie vanessa victor victoria vince vincent viktor vladimir walter
    wayne wendy william yasser yuri yusuf zoe""".split()
)

# Words the given-name gazetteer lists (a name somewhere) that English news capitalises for
# other reasons: a run starting with one of them is not taken for a person on that alone.
NOT_GIVEN_NAMES = frozenset(
    """long young hope faith will grant summer sunny major guy son star sky joy love happy lucky honey baby
    angel divine rich ray page chase north south east west new saint san santa fort port golden royal
    grand great little said city united central national international global world""".split()
)

# Honorifics always start a new name: "the Foreign Policy Centre Mr Straw said" is two names.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof"})

# Nouns of an apposition that describe a person: "Ruben Vardanyan, the former state minister".
PERSON_ROLES = PERSON_TITLES | frozenset(
    """aide adviser advisor envoy official member head founder owner lawyer activist journalist reporter
    businessman businesswoman billionaire politician diplomat negotiator spokesman spokeswoman analyst
    researcher commander officer soldier resident mother father son daughter wife husband brother sister""".split()
)

# Lower-case nouns that introduce an organisation's name: "polling company Mori", "campaign
# group Liberty", "research firm RetailMetrics".
ORG_NOUNS = frozenset(
    """company companies firm firms group groups agency charity organisation organization bank banks insurer
    lender retailer retailers carrier airline broadcaster newspaper paper watchdog regulator consultancy chain
    vendor maker manufacturer operator network union body club publisher developer supplier brokerage
    broker conglomerate outfit label studio distributor bookmaker pollster store stores jeweller jeweler
    wholesaler provider forecaster""".split()
)

# "<one of these> in X": X is a company, not a place ("shares in Delta", "a stake in Fiat").
STAKE_WORDS = frozenset({"share", "shares", "stake", "stakes", "investment", "investments", "invest", "holding"})

# Verbs of speech: "Name said" is a person.
SPEECH_VERBS = frozenset(
    {
        "said",
        "says",
        "told",
        "added",
        "argued",
        "claimed",
        "insisted",
        "warned",
        "stated",
        "wrote",
        "explained",
        "admitted",
        "denied",
    }
)
