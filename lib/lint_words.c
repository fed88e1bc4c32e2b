/* The English the text lints read (lint_text.h word classes): base forms,
 * lower case; inc__lex_find() finds inflected forms ("failing", "delays",
 * "restored"). These are the language of incident communication, not
 * phrases of any one status page: each class is documented in
 * lib/docs/lint-config.md, and a team adds its own words with a lint
 * configuration. */
#include "lint_words.h"

#define SYM  INC__W_SYMPTOM
#define GEN  INC__W_GENERIC
#define REC  INC__W_RECOVERY
#define HDG  INC__W_HEDGE
#define CAU  INC__W_CAUSE
#define CND  INC__W_COND
#define MOD  INC__W_MODAL
#define OUT  INC__W_OUTCOME
#define EST  INC__W_ESTIMATE
#define SOON INC__W_SOON
#define FIL  INC__W_FILLER
#define COM  INC__W_COMM
#define FUT  INC__W_FUTURE
#define UNIT INC__W_UNIT
#define ZONE INC__W_ZONE
#define NEG  INC__W_NEG
#define PER  INC__W_PERSON
#define BLM  INC__W_BLAME
#define LAP  INC__W_LAPSE
#define DET  INC__W_DET
#define FEA  INC__W_FEATURE
#define IMP  INC__W_IMPACT
#define USR  INC__W_USER
#define DAY  INC__W_DAY
#define QUA  INC__W_QUAL
#define NON  INC__W_NONAME
#define THG  INC__W_THING
#define AUX  INC__W_AUX

/* A table: several entries a line. */
/* clang-format off */
const inc__lex_entry inc__lint_english[] = {
    /* what users see */
    {"fail", SYM}, {"failure", SYM}, {"error", SYM}, {"erroring", SYM}, {"5xx", SYM}, {"4xx", SYM},
    {"500", SYM}, {"502", SYM}, {"503", SYM}, {"504", SYM}, {"429", SYM}, {"slow", SYM},
    {"slowness", SYM}, {"slowdown", SYM}, {"latency", SYM}, {"latencies", SYM}, {"lag", SYM},
    {"lagging", SYM}, {"delay", SYM}, {"backlog", SYM}, {"queue", SYM}, {"stuck", SYM},
    {"unavailable", SYM}, {"unavailability", SYM}, {"down", SYM}, {"downtime", SYM},
    {"outage", SYM}, {"timeout", SYM}, {"unable", SYM}, {"cannot", SYM}, {"can't", SYM},
    {"couldn't", SYM}, {"won't", SYM | NEG}, {"degrade", SYM}, {"degradation", SYM},
    {"unreachable", SYM}, {"inaccessible", SYM}, {"unresponsive", SYM}, {"missing", SYM},
    {"incomplete", SYM}, {"stale", SYM}, {"drop", SYM}, {"loss", SYM}, {"lost", SYM},
    {"crash", SYM}, {"hang", SYM}, {"hangs", SYM}, {"freeze", SYM}, {"spin", SYM},
    {"disconnect", SYM}, {"disconnection", SYM}, {"reject", SYM}, {"decline", SYM},
    {"bounce", SYM}, {"corrupt", SYM}, {"corruption", SYM}, {"incorrect", SYM},
    {"inaccurate", SYM}, {"duplicate", SYM}, {"buffer", SYM}, {"throttle", SYM},
    {"interruption", SYM}, {"interrupt", SYM}, {"longer", SYM}, {"packet", SYM}, {"servfail", SYM},
    {"oom", SYM}, {"oomkilled", SYM}, {"unhealthy", SYM}, {"flaky", SYM},
    /* trouble in general */
    {"issue", GEN}, {"problem", GEN}, {"difficulty", GEN}, {"difficulties", GEN}, {"trouble", GEN},
    {"disruption", GEN}, {"glitch", GEN}, {"hiccup", GEN}, {"anomaly", GEN}, {"anomalies", GEN},
    {"bug", GEN},
    /* "an incident affecting X" says no more than "an issue" */
    {"incident", GEN},
    /* recovery and outcomes */
    {"normal", REC | OUT}, {"restore", REC | OUT}, {"recover", REC | OUT}, {"recovery", REC | OUT},
    {"resolve", REC | OUT}, {"resolution", REC | OUT}, {"operational", REC | OUT},
    {"back", REC | OUT}, {"baseline", REC}, {"succeed", REC | OUT}, {"successfully", REC},
    {"healthy", REC | OUT}, {"stable", REC | OUT}, {"fix", OUT}, {"available", REC | OUT},
    {"complete", OUT}, {"clear", OUT}, {"subside", OUT}, {"resume", OUT}, {"deliver", OUT},
    {"process", OUT}, {"caught", REC | OUT}, {"mitigated", OUT}, {"finish", OUT},
    {"functional", OUT}, {"up", FIL},
    /* effect on someone */
    {"affect", IMP}, {"impact", IMP}, {"unaffected", IMP},
    /* hedges and causes */
    {"believe", HDG}, {"think", HDG}, {"suspect", HDG}, {"guess", HDG}, {"appear", HDG},
    {"seem", HDG}, {"likely", HDG}, {"probably", HDG}, {"possibly", HDG}, {"possible", HDG},
    {"potential", HDG}, {"potentially", HDG}, {"perhaps", HDG}, {"maybe", HDG},
    {"unconfirmed", HDG}, {"preliminary", HDG}, {"indication", HDG}, {"hypothesis", HDG},
    {"theory", HDG}, {"apparently", HDG}, {"unverified", HDG},
    {"cause", CAU}, {"due", CAU}, {"because", CAU}, {"responsible", CAU}, {"behind", CAU},
    {"contribute", CAU}, {"contributor", CAU}, {"trigger", CAU}, {"stem", CAU}, {"result", CAU},
    {"explain", CAU}, {"culprit", CAU}, {"attribute", CAU}, {"originate", CAU}, {"relate", CAU},
    {"point", CAU}, {"trace", CAU}, {"root", CAU}, {"link", CAU}, {"tie", CAU}, {"suggest", CAU}, {"indicate", CAU},
    {"tied", CAU},
    /* conditions */
    {"once", CND}, {"when", CND}, {"until", CND}, {"till", CND}, {"if", CND}, {"after", CND},
    {"unless", CND}, {"whenever", CND},
    /* modals and estimates */
    {"will", MOD | FUT}, {"shall", MOD | FUT}, {"should", MOD}, {"gonna", MOD | FUT},
    {"estimate", EST}, {"expect", EST | FUT}, {"anticipate", EST}, {"eta", EST | NON},
    {"forecast", EST}, {"soon", SOON}, {"shortly", SOON}, {"momentarily", SOON},
    /* the next update */
    {"update", COM | NON}, {"post", COM}, {"provide", COM}, {"share", COM}, {"publish", COM},
    {"communicate", COM}, {"communication", COM}, {"notify", COM}, {"inform", COM}, {"information", COM}, {"detail", COM},
    {"news", COM}, {"info", COM}, {"let", COM}, {"next", FUT | NON}, {"another", FUT}, {"further", FUT | QUA},
    {"again", FUT}, {"within", FUT}, {"every", FUT}, {"later", FUT}, {"follow", FUT},
    /* time */
    {"minute", UNIT}, {"min", UNIT}, {"mins", UNIT}, {"hour", UNIT}, {"hr", UNIT}, {"hrs", UNIT},
    {"second", UNIT}, {"sec", UNIT}, {"day", UNIT}, {"week", UNIT}, {"am", FIL}, {"pm", FIL},
    {"a.m", FIL}, {"p.m", FIL}, {"utc", ZONE}, {"gmt", ZONE}, {"z", ZONE}, {"pt", ZONE},
    {"pst", ZONE}, {"pdt", ZONE}, {"et", ZONE}, {"est", ZONE}, {"edt", ZONE}, {"ct", ZONE},
    {"cst", ZONE}, {"cdt", ZONE}, {"mt", ZONE}, {"mst", ZONE}, {"mdt", ZONE}, {"bst", ZONE},
    {"cet", ZONE}, {"cest", ZONE}, {"eet", ZONE}, {"eest", ZONE}, {"ist", ZONE}, {"jst", ZONE},
    {"kst", ZONE}, {"sgt", ZONE}, {"aest", ZONE}, {"aedt", ZONE}, {"awst", ZONE}, {"brt", ZONE},
    {"nzst", ZONE}, {"nzdt", ZONE}, {"hkt", ZONE}, {"msk", ZONE}, {"us/pacific", ZONE},
    {"us/eastern", ZONE}, {"monday", DAY}, {"tuesday", DAY}, {"wednesday", DAY}, {"thursday", DAY},
    {"friday", DAY}, {"saturday", DAY}, {"sunday", DAY}, {"today", FIL}, {"tomorrow", DAY},
    {"tonight", DAY}, {"noon", DAY}, {"midnight", DAY}, {"eod", DAY}, {"overnight", FIL},
    {"morning", FIL}, {"january", NON}, {"february", NON}, {"march", NON}, {"april", NON},
    {"june", NON}, {"july", NON}, {"august", NON}, {"september", NON}, {"october", NON},
    {"november", NON}, {"december", NON},
    /* negation */
    {"not", NEG}, {"no", NEG}, {"never", NEG}, {"without", NEG}, {"rather", NEG}, {"nor", NEG},
    {"don't", NEG}, {"doesn't", NEG}, {"didn't", NEG}, {"isn't", NEG}, {"aren't", NEG},
    {"wasn't", NEG}, {"weren't", NEG}, {"haven't", NEG}, {"hasn't", NEG}, {"instead", NEG},
    /* determiners, pronouns and qualifiers */
    {"the", DET}, {"a", DET}, {"an", DET}, {"our", DET}, {"your", DET}, {"their", DET},
    {"this", DET}, {"that", DET}, {"these", DET}, {"those", DET}, {"its", DET}, {"his", DET},
    {"her", DET}, {"my", DET}, {"some", DET}, {"all", DET}, {"each", DET}, {"any", QUA | FIL},
    {"new", QUA | FIL}, {"additional", QUA | FIL}, {"other", QUA | FIL}, {"future", QUA | FIL},
    {"similar", QUA | FIL}, {"recurrence", QUA | FIL}, {"we", FIL | NON}, {"us", FIL},
    {"you", FIL}, {"they", FIL}, {"them", FIL}, {"i", FIL}, {"it", FIL}, {"he", PER}, {"she", PER},
    {"him", FIL}, {"there", FIL}, {"here", FIL}, {"what", FIL}, {"which", FIL}, {"who", FIL},
    {"whom", FIL}, {"whose", FIL}, {"where", FIL}, {"how", FIL}, {"why", FIL}, {"we're", FIL},
    {"we've", FIL}, {"we'll", FIL | MOD | FUT}, {"i'll", FIL | MOD | FUT},
    {"you'll", FIL | MOD | FUT}, {"it'll", FIL | MOD | FUT}, {"they'll", FIL | MOD | FUT},
    {"i'm", FIL}, {"it's", FIL | AUX}, {"there's", FIL}, {"that's", FIL}, {"you're", FIL},
    {"they're", FIL},
    /* function words */
    {"is", FIL | AUX}, {"are", FIL | AUX}, {"was", FIL | AUX}, {"were", FIL | AUX},
    {"be", FIL | AUX}, {"been", FIL | AUX}, {"being", FIL | AUX}, {"have", FIL | AUX},
    {"has", FIL | AUX}, {"had", FIL | AUX}, {"got", FIL | AUX}, {"do", FIL}, {"does", FIL},
    {"did", FIL}, {"done", FIL}, {"can", FIL}, {"could", FIL}, {"may", FIL}, {"might", FIL},
    {"must", FIL}, {"would", FIL}, {"and", FIL}, {"or", FIL}, {"but", FIL}, {"so", FIL},
    {"for", FIL}, {"of", FIL}, {"to", FIL}, {"in", FIL}, {"on", FIL}, {"at", FIL}, {"by", FIL},
    {"with", FIL}, {"from", FIL}, {"as", FIL}, {"into", FIL}, {"onto", FIL}, {"about", FIL},
    {"over", FIL}, {"under", FIL}, {"out", FIL}, {"off", FIL}, {"than", FIL}, {"then", FIL},
    {"now", FIL}, {"currently", FIL}, {"still", FIL}, {"also", FIL}, {"just", FIL}, {"only", FIL},
    {"very", FIL}, {"more", FIL}, {"most", FIL}, {"less", FIL}, {"such", FIL}, {"same", FIL},
    {"both", FIL}, {"either", FIL}, {"few", FIL}, {"many", FIL}, {"much", FIL}, {"several", FIL},
    {"subset", FIL}, {"number", FIL}, {"portion", FIL}, {"small", FIL}, {"large", FIL},
    {"percentage", FIL}, {"majority", FIL}, {"minority", FIL}, {"certain", FIL}, {"include", FIL},
    {"while", FIL}, {"during", FIL}, {"since", FIL}, {"between", FIL}, {"across", FIL},
    {"around", FIL}, {"through", FIL}, {"per", FIL}, {"via", FIL}, {"yet", FIL}, {"already", FIL},
    {"well", FIL}, {"like", FIL}, {"way", FIL}, {"toward", FIL}, {"towards", FIL}, {"upon", FIL},
    {"these", FIL}, {"even", FIL}, {"too", FIL}, {"whether", FIL}, {"either", FIL}, {"ago", FIL},
    /* the vocabulary of status updates that names nothing affected */
    {"investigate", FIL}, {"investigation", FIL}, {"look", FIL}, {"aware", FIL}, {"identify", FIL},
    {"monitor", FIL}, {"continue", FIL}, {"work", FIL}, {"engineer", FIL | PER | NON},
    {"engineering", FIL | NON}, {"team", FIL | NON}, {"support", FIL | NON}, {"staff", FIL},
    {"technology", FIL | NON}, {"operation", FIL}, {"ops", FIL}, {"status", FIL | NON},
    {"page", FIL}, {"incident", FIL | NON}, {"situation", FIL}, {"service", FIL}, {"system", FIL},
    {"platform", FIL}, {"infrastructure", FIL}, {"product", FIL}, {"component", FIL},
    {"mitigation", FIL}, {"mitigate", FIL}, {"implement", FIL}, {"deploy", FIL}, {"deployed", FIL},
    {"deployment", FIL}, {"release", FIL}, {"change", FIL}, {"rollback", FIL}, {"roll", FIL},
    {"revert", FIL}, {"apply", FIL}, {"progress", FIL}, {"ongoing", FIL}, {"ensure", FIL},
    {"thank", FIL}, {"thanks", FIL}, {"patience", FIL}, {"understanding", FIL}, {"apologize", FIL},
    {"apologise", FIL}, {"apology", FIL}, {"apologies", FIL}, {"sorry", FIL},
    {"inconvenience", FIL}, {"report", FIL}, {"experience", FIL}, {"see", FIL}, {"notice", FIL},
    {"observe", FIL}, {"detect", FIL}, {"elevated", FIL}, {"increase", FIL}, {"higher", FIL},
    {"high", FIL}, {"rate", FIL}, {"level", FIL}, {"everyone", FIL}, {"anyone", FIL},
    {"someone", FIL | PER}, {"people", FIL}, {"member", FIL}, {"area", FIL}, {"case", FIL},
    {"underlying", FIL}, {"able", FIL}, {"usual", FIL}, {"expected", FIL}, {"get", FIL | AUX},
    {"take", FIL}, {"make", FIL}, {"keep", FIL}, {"close", FIL}, {"eye", FIL}, {"dig", FIL},
    {"digging", FIL}, {"thing", FIL}, {"everything", FIL}, {"anything", FIL}, {"something", FIL},
    {"nothing", FIL}, {"confirm", FIL}, {"determine", FIL}, {"found", FIL}, {"find", FIL},
    {"action", FIL}, {"step", FIL}, {"intermittent", FIL}, {"intermittently", FIL},
    {"sporadic", FIL}, {"partial", FIL}, {"partially", FIL}, {"fully", FIL}, {"full", FIL},
    {"completely", FIL}, {"please", FIL}, {"retry", FIL}, {"try", FIL}, {"check", FIL},
    {"asap", FIL | NON}, {"time", FIL}, {"moment", FIL}, {"period", FIL}, {"window", FIL},
    {"recent", FIL}, {"recently", FIL}, {"earlier", FIL}, {"technical", FIL}, {"performance", FIL},
    {"additional", FIL}, {"improve", FIL | OUT}, {"reduce", FIL}, {"working", FIL}, {"worked", FIL},
    {"effort", FIL}, {"priority", FIL}, {"top", FIL}, {"help", FIL}, {"know", FIL}, {"learn", FIL},
    {"hear", FIL}, {"seeing", FIL}, {"result", CAU}, {"analysis", FIL}, {"review", FIL},
    {"postmortem", FIL}, {"post-incident", FIL}, {"rca", FIL | NON}, {"fyi", FIL | NON},
    {"tbd", FIL | NON}, {"resolved", REC | OUT | NON}, {"investigating", FIL | NON},
    {"identified", FIL | NON}, {"monitoring", FIL | NON}, {"impact", IMP | NON}, {"affected", IMP},
    {"customer", USR}, {"user", USR}, {"merchant", USR}, {"developer", USR | PER},
    {"subscriber", USR}, {"tenant", USR}, {"organization", USR}, {"client", USR}, {"viewer", USR},
    {"seller", USR}, {"buyer", USR}, {"creator", USR}, {"end-user", USR}, {"good", FIL},
    {"great", FIL}, {"ok", FIL}, {"okay", FIL}, {"yes", FIL},
    /* features of most online services: scope even as a sentence's first word */
    {"login", FEA}, {"logins", FEA}, {"sign-in", FEA}, {"signin", FEA}, {"signup", FEA},
    {"sign-up", FEA}, {"sso", FEA}, {"authentication", FEA}, {"checkout", FEA}, {"payment", FEA},
    {"billing", FEA}, {"invoice", FEA}, {"payout", FEA}, {"api", FEA}, {"dashboard", FEA},
    {"console", FEA}, {"webhook", FEA}, {"email", FEA}, {"sms", FEA}, {"notification", FEA},
    {"search", FEA}, {"upload", FEA}, {"download", FEA}, {"export", FEA}, {"import", FEA},
    {"sync", FEA}, {"build", FEA}, {"pipeline", FEA}, {"message", FEA}, {"call", FEA},
    {"meeting", FEA}, {"file", FEA}, {"app", FEA}, {"website", FEA}, {"admin", FEA},
    {"editor", FEA}, {"order", FEA}, {"comment", FEA}, {"thread", FEA}, {"repository", FEA},
    {"push", FEA}, {"storefront", FEA}, {"streaming", FEA}, {"voice", FEA}, {"video", FEA},
    {"chat", FEA}, {"mobile", FEA}, {"desktop", FEA}, {"password", FEA}, {"account", FEA},
    {"database", FEA}, {"dns", FEA}, {"cdn", FEA}, {"region", FEA}, {"cluster", FEA}, {"pod", FEA},
    {"shard", FEA}, {"cell", FEA}, {"instance", FEA}, {"datacenter", FEA},
    /* people and blame (PM-4) */
    {"operator", PER}, {"dev", PER}, {"sre", PER}, {"dba", PER}, {"admin", PER},
    {"administrator", PER}, {"on-call", PER}, {"oncall", PER}, {"responder", PER},
    {"reviewer", PER}, {"contractor", PER}, {"manager", PER}, {"whoever", PER}, {"somebody", PER},
    {"person", PER}, {"intern", PER}, {"employee", PER}, {"human", PER}, {"junior", PER},
    {"senior", PER}, {"author", PER}, {"owner", PER}, {"approver", PER}, {"committer", PER},
    {"deployer", PER}, {"requester", PER}, {"assignee", PER}, {"teammate", PER}, {"tester", PER},
    {"colleague", PER}, {"they", PER}, {"careless", BLM}, {"carelessly", BLM},
    {"carelessness", BLM}, {"negligent", BLM}, {"negligently", BLM}, {"negligence", BLM},
    {"reckless", BLM}, {"sloppy", BLM}, {"lazy", BLM}, {"irresponsible", BLM},
    {"incompetent", BLM}, {"incompetence", BLM}, {"stupid", BLM}, {"botch", BLM},
    {"inexperienced", BLM}, {"fault", BLM}, {"forgot", LAP}, {"neglect", LAP}, {"ignore", LAP},
    {"failed", LAP | SYM}, {"should've", LAP}, {"bother", LAP},
    /* the machinery behind a service: what the team runs, not what customers
     * use, so alone it names nothing affected ("while caches warm up");
     * "Pod 17", "cluster eu-1" and a team's service names still do, and so
     * does a subject that fails ("Hosted pages are slow": THING) */
    {"cache", FIL | THG}, {"server", FIL | THG}, {"node", FIL | THG}, {"host", FIL | THG},
    {"replica", FIL | THG}, {"worker", FIL | THG}, {"container", FIL | THG},
    {"machine", FIL | THG}, {"backend", FIL | THG}, {"page", THG},
    {"hardware", FIL}, {"capacity", FIL}, {"resource", FIL},
    /* more of the vocabulary of incident handling: names nothing affected */
    {"spike", FIL}, {"encounter", FIL}, {"propagation", FIL}, {"propagate", FIL},
    {"configuration", FIL}, {"config", FIL}, {"dependency", FIL}, {"dependencies", FIL},
    {"began", FIL}, {"begun", FIL}, {"decrease", FIL}, {"return", FIL}, {"subside", FIL},
    {"saw", FIL}, {"seen", FIL}, {"need", FIL}, {"away", FIL},
    /* where a measure stands: "down from their peak", "right now", "signs of
     * recovery" */
    {"peak", FIL}, {"right", FIL}, {"signs", FIL}, {"improvement", FIL},
    /* measures and parts of the whole, which name no feature: "response
     * times are slow", "some features are unavailable", "parts of the site
     * are down" */
    {"response", FIL}, {"throughput", FIL}, {"feature", FIL}, {"functionality", FIL},
    {"part", FIL}, {"aspect", FIL}, {"site", FIL},
    {"address", FIL}, {"remediate", FIL}, {"remediation", FIL}, {"operate", FIL}, {"remain", FIL},
    {"handle", FIL}, {"stabilize", FIL}, {"stabilise", FIL}, {"escalate", FIL}, {"engage", FIL},
    {"evaluate", FIL}, {"assess", FIL}, {"validate", FIL}, {"verify", FIL}, {"coordinate", FIL},
    {"pursue", FIL}, {"prioritize", FIL}, {"prioritise", FIL}, {"isolate", FIL}, {"restart", FIL},
    {"reboot", FIL}, {"scale", FIL}, {"shift", FIL}, {"reroute", FIL}, {"redirect", FIL},
    {"patch", FIL}, {"upgrade", FIL}, {"migrate", FIL}, {"tune", FIL}, {"adjust", FIL},
    {"purge", FIL}, {"pause", FIL}, {"disable", FIL}, {"enable", FIL}, {"contact", FIL},
    {"partner", FIL}, {"begin", FIL}, {"occur", FIL}, {"happen", FIL}, {"persist", FIL},
    {"appreciate", FIL}, {"understand", FIL}, {"regret", FIL}, {"discover", FIL}, {"track", FIL},
    {"watch", FIL}, {"analyze", FIL}, {"analyse", FIL}, {"measure", FIL}, {"actively", FIL},
    {"closely", FIL}, {"quickly", FIL}, {"significantly", FIL}, {"slightly", FIL},
    {"temporarily", FIL}, {"various", FIL}, {"multiple", FIL}, {"specific", FIL}, {"limited", FIL},
    {"reduced", FIL}, {"upstream", FIL}, {"downstream", FIL}, {"third-party", FIL},
    {"external", FIL}, {"internal", FIL}, {"relevant", FIL}, {"previous", FIL}, {"latest", FIL},
    {"initial", FIL}, {"final", FIL}, {"workaround", FIL}, {"provider", FIL}, {"vendor", FIL},
    {"carrier", FIL}, {"request", FIL}, {"traffic", FIL}, {"connection", FIL}, {"attention", FIL},
    {"concern", FIL}, {"frustration", FIL}, {"experience", FIL}, {"trust", FIL},
    {"apologize", FIL}, {"continue", FIL}, {"additional", FIL}, {"ongoing", FIL}, {"cause", FIL},
    {"rollout", FIL}, {"roll-out", FIL}, {"further", FIL}, {"necessary", FIL}, {"needed", FIL},
    {"required", FIL}, {"able", FIL}, {"unable", FIL}, {"ensure", FIL}, {"confident", FIL},
    {"confidence", FIL}, {"thoroughly", FIL}, {"carefully", FIL}, {"immediately", FIL},
    {"promptly", FIL}, {"soon", FIL}, {"quick", FIL}, {"full", FIL}, {"complete", FIL},
    {"steps", FIL}, {"measure", FIL}, {"safeguard", FIL}, {"prevent", FIL}, {"recurrence", FIL},
    {"future", FIL}, {"learn", FIL}, {"lesson", FIL}, {"share", FIL}, {"sharing", FIL},
    {"transparency", FIL}, {"detailed", FIL}, {"summary", FIL}, {"report", FIL},
    /* hopes and plans are estimates: "we aim to restore service by 16:00" */
    {"hope", EST}, {"aim", EST}, {"target", EST}, {"plan", EST}, {"intend", EST}, {"hourly", DAY},
    {"half-hourly", DAY},
};
/* clang-format on */

const size_t inc__lint_english_count = sizeof(inc__lint_english) / sizeof(inc__lint_english[0]);

void inc__lint_lexicon(inc__lexicon *lex)
{
    inc__lex_init(lex);
    inc__lex_add(lex, inc__lint_english, inc__lint_english_count);
}
