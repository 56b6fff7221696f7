"""Scrapy settings for the tctt-audit crawler.

Polite by default: robots.txt obeyed, AutoThrottle on, two requests at a time per portal, an honest
User-Agent naming the tool and a contact address (set TCTT_CONTACT to your office's page or e-mail).
Every TCTT_* setting can be overridden with `-s NAME=VALUE` or from the `tctt` command line.
"""

import os

from scrapy.settings import default_settings as _scrapy_defaults

from core import __version__
from core.sectionstatus import thresholds as section_thresholds

BOT_NAME = "tctt-audit"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

TCTT_CONTACT = os.environ.get("TCTT_CONTACT", "https://github.com/tctt-audit/tctt-audit#contact")
USER_AGENT = f"tctt-audit/{__version__} (+{TCTT_CONTACT}; kiem tra Luat Tiep can thong tin / access-to-information audit)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
# Scrapy starts CONCURRENT_ITEMS (default 100) asyncio tasks for the output of every callback; ours yield a
# few items each, and those 100 task creations per response were the top entry of the crawl's profile.
CONCURRENT_ITEMS = 8
# Scrapy stops sending requests while the responses being read weigh more than this (default 5 MB): with
# pages of real weight (30–120 kB) that was 40–60 pages waiting for the page reader, or one large document
# waiting for its extraction, and every download slot of the crawl stood idle meanwhile.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 32 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5
# No random variation of the per-host delay (Scrapy's default is ±50%): Scrapy draws it again each time it
# looks at a waiting host, so the wait ran to the top of the range and a slow portal (10 s per page) got
# one request at a time instead of AutoThrottle's 1.5. The load on a portal is AutoThrottle's to set; the
# crawler names itself in its User-Agent and has no reason to look irregular.
DOWNLOAD_DELAY_JITTER = 0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 5
HTTPERROR_ALLOW_ALL = True
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Only http(s) is ever fetched: Scrapy's file, ftp, s3 and data handlers are disabled (a portal's sitemap
# listing file:///etc/passwd must not read the auditor's own disk), and SchemeGuard refuses other schemes first.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None,
                     # Scrapy's HTTP/1.1 handler plus an idle-read timeout (TCTT_IDLE_TIMEOUT)
                     "http": "crawler.budgets.IdleTimeoutHandler", "https": "crawler.budgets.IdleTimeoutHandler"}
# The network guard judges the address Scrapy connects to, where it is resolved (crawler/netguard.py).
TWISTED_DNS_RESOLVER = "crawler.netguard.GuardedResolver"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SchemeGuard": 1,
    "crawler.middlewares.ReplayStored": 10,
    "crawler.middlewares.PrivateAddressGuard": 50,
    "crawler.budgets.HardBudgets": 60,  # byte and time budgets on requests about to leave and in flight
    "crawler.netguard.RefusedNotRetried": 560,  # above RetryMiddleware (550): refusals are not retried
    "crawler.retries.TimeoutsNotRetried": 555,  # above RetryMiddleware (550): a timed-out page is not retried
    "crawler.downloadermiddlewares.blocks.BlockDetection": 590,  # below RedirectMiddleware (600): final pages
    "crawler.middlewares.DocumentEncoding": 950,  # before HttpCacheMiddleware (900) stores the response
    "crawler.middlewares.NetworkAnswer": 960,  # what the portal answered, before the HTTP cache (900)
}
# The spider counts its own depth (meta["tctt_depth"]); Scrapy's DepthMiddleware only rewrote meta["depth"]
# for every request, one more async layer around each callback's output.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
ITEM_PIPELINES = {
    "crawler.pipelines.StorePipeline": 300,
}
# Scrapy's remote control (2.19+, on by default) serves an HTTP endpoint that runs code sent to it, from every
# crawl process; an audit has no use for it, and importing its web server (aiohttp) slowed each start. Left
# out of the base list, not set to None: Scrapy imports every listed extension, None or not.
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}
EXTENSIONS = {
    "crawler.progress.Progress": 500,
    "crawler.extensions.runlifecycle.RunLifecycle": 10,  # closes the run when the spider closes
    "crawler.logs.RootLogLevel": 0,
    "crawler.warc.WarcArchive": 100,  # the evidence archive (WARC), written off the reactor
    "crawler.extensions.memtrim.MemoryTrim": 900,  # freed heap memory given back (glibc)
    "crawler.extensions.gctune.GarbageCollectorTuning": 0,  # the cyclic collector run less often
}
# Scrapy's statistics of each crawl process, kept per run in the store (table crawl_stats).
STATS_CLASS = "crawler.crawlstats.StoreStatsCollector"

# Scrapy's host-aware queue, picking the same host without scanning every waiting host per request.
SCHEDULER_PRIORITY_QUEUE = "crawler.pqueues.FairHostPriorityQueue"

# The incremental crawl's HTTP cache (enabled by the spider, TCTT_INCREMENTAL): one SQLite file shared by every
# process of the machine, instead of seven files per response (see crawler/httpcache.py).
HTTPCACHE_STORAGE = "crawler.httpcache.SqliteCacheStorage"

# --- tctt-audit's own settings ---------------------------------------------------------------
TCTT_DB = os.environ.get("TCTT_DB", "tctt.db")
TCTT_ALLOW_PRIVATE = False           # allow loopback/private targets (the demo and tests need it); never
                                     # link-local or metadata addresses (169.254.169.254)
TCTT_ALLOWED_NETWORKS: list[str] = []  # CIDR networks allowed explicitly (overrides every refusal)
TCTT_RESOLVE_HOSTS = True            # resolve host names and refuse those pointing at refused addresses
TCTT_DNS_SERVERS: list[str] = []     # name servers asked directly ("10.0.0.53:53"); default: the system's resolver
TCTT_RETRY_PAGE_TIMEOUTS = False      # retry pages that timed out (RETRY_TIMES); off: only the home page is
TCTT_IDLE_TIMEOUT = 30                # seconds without a byte before a download is cancelled (0: none)
TCTT_PARSE_WORKERS = 2                # processes reading HTML pages off the crawl's main thread (0: read in it)
TCTT_PARSE_TIMEOUT = 30               # seconds to read one HTML page; a page over it is recorded as not read
TCTT_PARSE_MAX_MEMORY_MB = 1024       # address-space limit of a page-reading worker
TCTT_MAX_PAGES_PER_AGENCY = 80        # page budget per agency (documents included)
TCTT_SECTION_DEPTH = 2                # levels followed below a section candidate
TCTT_MAX_CANDIDATES = 6               # candidate links followed from the home page
TCTT_MAX_LANDING_PAGES = 4            # hub pages of the menu ("Công khai", "Công dân"…) searched for the section
                                      # when the home page's navigation does not name it
TCTT_MAX_BANNER_OCR = 3               # banner images read by OCR (tesseract) in that case
TCTT_BANNER_MAX_BYTES = 300 * 1024    # larger images are not banners: not downloaded for OCR
TCTT_MAX_ACTIVE_AGENCIES = 100        # agencies crawled at once per process (bounds memory for any registry); 0: no bound
TCTT_CANDIDATE_THRESHOLD = 0.25       # minimum link score to follow a candidate
TCTT_SECTION_THRESHOLD = section_thresholds().found  # minimum confidence to accept a candidate as the section (core/section_thresholds.json)
TCTT_MAX_BYTES_PER_AGENCY = 200 * 1024 * 1024  # byte budget per agency (bodies, decompressed)
TCTT_MAX_SECONDS_PER_AGENCY = 900     # wall-time budget per agency from its home page's answer
TCTT_TLS_PROBE = True                 # check the certificate (or the lack of HTTPS) of every portal
TCTT_TLS_STRICT = False               # an invalid certificate ends the agency as `error` instead of a finding
TCTT_TLS_CAFILE = ""                  # extra trusted CA bundle for the TLS check (tests)
TCTT_TLS_TIMEOUT = 10                 # seconds for the TLS check
TCTT_DOC_MAX_BYTES = 30 * 1024 * 1024 # documents larger than this are recorded, not downloaded whole or parsed
TCTT_DOC_TIMEOUT = 60                 # seconds to extract one document (its worker is killed after)
TCTT_DOC_WORKERS = 2                  # extraction worker processes
TCTT_DOC_MAX_MEMORY_MB = 1024         # address-space limit of a worker (RLIMIT_AS), OCR included
TCTT_DOC_MEMO_MB = 32                 # documents' readings kept per crawl process (same bytes read once)
TCTT_GC_GEN0_THRESHOLD = 20000        # allocations between runs of Python's cyclic collector (0: its 700)
TCTT_MALLOC_TRIM_SECONDS = 30.0       # give freed heap memory back this often (glibc; 0: never)
TCTT_MALLOC_MMAP_THRESHOLD = 128 * 1024  # blocks this big get their own mapping, returned when freed (0: glibc's)
TCTT_DOC_MAX_PAGES = 200              # PDF pages read for text
TCTT_DOC_TABLE_PAGES = 30             # PDF pages searched for tables
TCTT_DOC_MAX_UNPACKED = 200 * 1024 * 1024  # uncompressed bytes allowed in a DOCX/XLSX/ZIP
TCTT_DOC_MAX_RATIO = 200              # compression ratio above which a zip is a decompression bomb
TCTT_DOC_OCR = True                   # OCR scanned PDFs when tesseract (and its model) is installed
TCTT_DOC_OCR_PAGES = 5                # pages OCR'd per scanned document
TCTT_DOC_OCR_LANG = "vie"             # tesseract model
TCTT_DOC_REUSE = True                 # reuse the extraction of a document already read (same sha256) in an earlier run
TCTT_INCREMENTAL = True               # HTTP cache beside the database: re-audits revalidate (ETag/Last-Modified)
                                      # and reuse what an earlier run drew from the same bytes
TCTT_CARRY_UNCHANGED = True          # re-audit: an agency whose home page is unchanged (304, same SHA-256) and
                                      # whose other pages are all still fresh by HTTP is not crawled again; its
                                      # evidence is carried over from the earlier run (needs TCTT_INCREMENTAL)
TCTT_FAILED_FRESH_SECONDS = 86400     # a page the portal's network failed to serve (timeout, reset, refused) is
                                      # held as failed this long: a re-audit within it carries the failure over
                                      # instead of waiting for it again; after it, the page is asked again
TCTT_CARRY_VERIFY_MAX = 10            # stale pages (a 404, an expired copy) asked for again before carrying an
                                      # agency; carried if they answer as before; more than this: crawled
TCTT_HTTPCACHE_DIR = ""               # default: <database>.httpcache
TCTT_PROGRESS = False                 # print per-agency progress to stderr
TCTT_WARC = True                      # keep every response received in the run's WARC archive (<db>.warc/run-N.warc.gz)
TCTT_BLOCK_DETECTION = True           # mark home pages that are a wall (403, captcha, bot challenge)
TCTT_RUN_LIFECYCLE = True             # close the run in the store when the crawl ends (off for Redis workers)
TCTT_WARC_DIR = ""                    # default: <database>.warc
TCTT_WARC_MAX_BYTES = 2 * 1024**3     # bound of one run's archive on disk; later responses are indexed as skipped
TCTT_WARC_MAX_RECORD_BYTES = 30 * 1024 * 1024  # larger bodies are not archived (indexed as skipped)
