/*
 * search.js: full-text search of the site in the browser. Plain JS, no dependencies.
 *
 * Defines window.SiteSearch:
 *   await SiteSearch.query(q, {limit}) → [{url, title, excerpt, breadcrumb, kind,
 *                                           audience, lead_units}]   best first
 * `excerpt` is HTML: the page text around the match, escaped, matched words in <mark>.
 * It also drives the /search/ page when the page has #search-app (see search.html).
 *
 * The index is written by src/search/ (Rust). Tokenizing rules mirror
 * src/search/tokenize.rs: keep `normChar`, `segments` and the token shapes in step.
 * Files (under <base>search/): manifest.json, s/<hex>.bin shards, p/<hex>-<k>.bin large
 * postings, m/<n>.json page metadata, x/<n>.json page text. Only what a query needs is
 * fetched, and every file is fetched once.
 *
 * Ranking: each query character (or word) is a slot. Matchers (Han bigrams, single
 * characters, numbers, pinyin, synonyms) cover slots; a page scores BM25 (IDF × stored
 * BM25F impact) per matcher. Pages covering more of the query come first, then by score
 * plus a title-phrase bonus and, for the shown results, a body phrase/proximity bonus.
 */
(function (root) {
  'use strict';

  var K1 = 1.2;
  var PINYIN_MAX = 4; // tokenize.rs PINYIN_MAX
  var MAX_SLOTS = 30;
  var SYLLABLES = new Set(('a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de den deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo').split(' '));
  // Question words and particles citizens add to queries; removed unless nothing is left.
  var STOP = ['有没有', '有哪些', '怎么办', '怎么样', '是什么', '能不能', '在哪里', '在哪儿', '请问', '怎么', '怎样', '如何', '什么', '哪些', '哪个', '哪里', '哪儿', '为什么', '是否', '关于', '一下', '我们', '我想', '我要', '可以', '的', '了', '吗', '呢', '吧', '啊', '我', '你', '想'];
  var KIND_LABELS = { overview: '总体要求', principle: '基本原则', action: '提升行动', project: '重点工程', task: '任务', page: '页面' };

  var script = typeof document !== 'undefined' ? document.currentScript : null;
  var state = {
    base: (script && script.getAttribute('data-base')) || '/',
    fetcher: null,
    manifest: null,
    files: new Map(), // path → Promise
    shards: new Map(), // shard number → Map(token → entry)
  };

  // ---------------------------------------------------------------- text rules
  function isHan(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x3134f);
  }
  function isAlnum(c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }
  function isDigit(c) { return c >= '0' && c <= '9'; }
  function normChar(c) {
    var n = c.codePointAt(0);
    if (n >= 0xff01 && n <= 0xff5e) c = String.fromCodePoint(n - 0xfee0);
    else if (n === 0x3000) c = ' ';
    return c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
  }
  function normalize(text) { return Array.from(text, normChar).join(''); }
  function isNumber(w) { return /^[0-9][0-9.]*$/.test(w); }

  /** Same segments as tokenize.rs `segments`: {han: [chars]} or {word, nextHan}. */
  function segments(text) {
    var chars = Array.from(text, normChar);
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isHan(c)) {
        var start = i;
        while (i < chars.length && isHan(chars[i])) i++;
        out.push({ han: chars.slice(start, i) });
      } else if (isAlnum(c)) {
        var w = '';
        while (i < chars.length) {
          c = chars[i];
          var last = w.charAt(w.length - 1);
          if (isAlnum(c)) w += c;
          else if (c === '.' && isDigit(last) && i + 1 < chars.length && isDigit(chars[i + 1])) w += c;
          else if (c === '%' && isDigit(last)) { w += c; i++; break; }
          else break;
          i++;
        }
        out.push({ word: w, nextHan: i < chars.length && isHan(chars[i]) ? chars[i] : null });
      } else i++;
    }
    return out;
  }

  /** Index tokens a synonym value stands for: bigrams of Han runs (or the character). */
  function gramsOf(text) {
    var toks = [];
    segments(text).forEach(function (s) {
      if (s.han) {
        if (s.han.length === 1) toks.push(s.han[0]);
        for (var i = 0; i + 1 < s.han.length; i++) toks.push(s.han[i] + s.han[i + 1]);
      } else toks.push(s.word);
    });
    return toks;
  }

  /** Every way to split ASCII letters into pinyin syllables (at most 4, fewest first). */
  function syllabify(w) {
    var out = [];
    (function walk(i, acc) {
      if (out.length >= 8) return;
      if (i === w.length) { out.push(acc.slice()); return; }
      for (var len = Math.min(6, w.length - i); len >= 1; len--) {
        var s = w.substr(i, len);
        if (SYLLABLES.has(s)) { acc.push(s); walk(i + len, acc); acc.pop(); }
      }
    })(0, []);
    out.sort(function (a, b) { return a.length - b.length; });
    return out.slice(0, 4);
  }

  /** Removes stop words from a Han run: the remaining sub-runs. */
  function dropStop(chars) {
    var text = chars.join('');
    var keep = chars.map(function () { return true; });
    STOP.forEach(function (sw) {
      var at = text.indexOf(sw);
      while (at >= 0) {
        for (var k = 0; k < sw.length; k++) keep[at + k] = false;
        at = text.indexOf(sw, at + sw.length);
      }
    });
    var runs = [];
    var cur = [];
    chars.forEach(function (c, i) {
      if (keep[i]) cur.push(c);
      else if (cur.length) { runs.push(cur); cur = []; }
    });
    if (cur.length) runs.push(cur);
    return runs;
  }

  // ---------------------------------------------------------------- query plan
  /**
   * Turns a query into slots (characters/words to cover), matchers and phrases.
   * matcher: {toks, mask, w (weight incl. normalization), fallback?: neighbour bigrams}
   */
  function plan(q, synonyms) {
    var segs = segments(q.slice(0, 80));
    var hanRuns = [];
    segs.forEach(function (s) { if (s.han) hanRuns.push(dropStop(s.han)); });
    var anyLeft = hanRuns.some(function (r) { return r.length; }) || segs.some(function (s) { return s.word; });
    var p = { nslots: 0, matchers: [], phrases: [] };
    function slot() { return p.nslots < MAX_SLOTS ? 1 << p.nslots++ : 0; }
    var hi = 0;
    var pendingNumber = null; // {tok, bit} of a number followed by a Han character
    segs.forEach(function (s) {
      if (s.han) {
        var runs = anyLeft ? hanRuns[hi++] : [s.han];
        runs.forEach(function (run, ri) {
          var bits = run.map(slot);
          var text = run.join('');
          if (pendingNumber && ri === 0 && run[0] === pendingNumber.han) {
            p.matchers.push({ toks: [pendingNumber.tok], mask: pendingNumber.bit | bits[0], w: 1.5 });
          }
          if (run.length === 1) p.matchers.push({ toks: [run[0]], mask: bits[0], w: 1 });
          for (var i = 0; i + 1 < run.length; i++) {
            p.matchers.push({ toks: [run[i] + run[i + 1]], mask: bits[i] | bits[i + 1], w: 1 });
          }
          if (run.length > 1) {
            run.forEach(function (c, i) {
              var nb = [];
              if (i > 0) nb.push(run[i - 1] + c);
              if (i + 1 < run.length) nb.push(c + run[i + 1]);
              p.matchers.push({ toks: [c], mask: bits[i], w: 0.5, fallback: nb });
            });
          }
          var alts = [];
          Object.keys(synonyms).forEach(function (key) {
            var at = text.indexOf(key);
            while (at >= 0) {
              var mask = 0;
              for (var k = 0; k < key.length; k++) mask |= bits[at + k];
              synonyms[key].forEach(function (v) {
                var toks = gramsOf(v);
                if (!toks.length) return;
                p.matchers.push({ toks: toks, mask: mask, w: 0.9 * Math.max(1, key.length - 1) / toks.length, syn: true });
                alts.push(normalize(v));
              });
              at = text.indexOf(key, at + key.length);
            }
          });
          p.phrases.push({ text: text, alts: alts });
        });
        pendingNumber = null;
      } else {
        var w = s.word;
        var bit = slot();
        p.matchers.push({ toks: [w], mask: bit, w: 1 });
        p.phrases.push({ text: w, alts: [] });
        if (/%$/.test(w)) p.matchers.push({ toks: [w.slice(0, -1)], mask: bit, w: 0.6 });
        pendingNumber = isNumber(w) && s.nextHan ? { tok: w + s.nextHan, han: s.nextHan, bit: bit } : null;
        if (/^[a-z]+$/.test(w) && w.length >= 2) {
          var n = w.length;
          var ini = [];
          for (var i = 0; i + PINYIN_MAX <= n || (i === 0 && n <= PINYIN_MAX); i++) ini.push('^' + w.substr(i, Math.min(PINYIN_MAX, n)));
          p.matchers.push({ toks: ini, mask: bit, w: (n - 1) / ini.length, pinyin: true });
          syllabify(w).forEach(function (syl) {
            var toks = [];
            for (var j = 0; j + PINYIN_MAX <= syl.length || (j === 0 && syl.length <= PINYIN_MAX); j++) {
              toks.push("'" + syl.slice(j, j + PINYIN_MAX).join(''));
            }
            p.matchers.push({ toks: toks, mask: bit, w: Math.max(1, syl.length - 1) / toks.length, pinyin: true });
          });
        }
      }
    });
    return p;
  }

  // ---------------------------------------------------------------- files
  function get(path, kind) {
    var key = path;
    if (!state.files.has(key)) {
      var url = state.base + 'search/' + path + (state.manifest ? '?v=' + state.manifest.v : '');
      var f = state.fetcher || function (u) { return fetch(u); };
      var pr = Promise.resolve(f(url)).then(function (r) {
        if (!r.ok) throw new Error('search: ' + url + ': ' + r.status);
        return kind === 'json' ? r.json() : r.arrayBuffer();
      });
      pr.catch(function () { state.files.delete(key); });
      state.files.set(key, pr);
    }
    return state.files.get(key);
  }

  function manifest() {
    if (state.manifest) return Promise.resolve(state.manifest);
    return get('manifest.json', 'json').then(function (m) { state.manifest = m; return m; });
  }

  var encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
  var decoder = typeof TextDecoder !== 'undefined' ? new TextDecoder() : null;
  function fnv1a32(bytes) {
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193); }
    return h >>> 0;
  }

  function parseShard(buf, shard) {
    var b = new Uint8Array(buf);
    var pos = 0;
    function v() {
      var n = 0, mul = 1, x;
      do { x = b[pos++]; n += (x & 0x7f) * mul; mul *= 128; } while (x & 0x80);
      return n;
    }
    var map = new Map();
    var count = v();
    var ext = 0;
    for (var i = 0; i < count; i++) {
      var len = v();
      var tok = decoder.decode(b.subarray(pos, pos + len));
      pos += len;
      var e = { df: v(), bytes: null, ext: null, list: null };
      if (v() === 1) e.ext = 'p/' + shard.toString(16) + '-' + (ext++) + '.bin';
      else { len = v(); e.bytes = b.subarray(pos, pos + len); pos += len; }
      map.set(tok, e);
    }
    return map;
  }

  function decodePostings(bytes, df) {
    var docs = new Uint32Array(df);
    var imp = new Uint8Array(df);
    var pos = 0, doc = 0;
    for (var i = 0; i < df; i++) {
      var n = 0, mul = 1, x;
      do { x = bytes[pos++]; n += (x & 0x7f) * mul; mul *= 128; } while (x & 0x80);
      doc += n;
      docs[i] = doc;
      imp[i] = bytes[pos++];
    }
    return { docs: docs, imp: imp };
  }

  /** Loads the entries of the given tokens: Map token → entry (missing tokens absent). */
  function loadTokens(m, toks) {
    var byShard = new Map();
    toks.forEach(function (t) {
      var s = fnv1a32(encoder.encode(t)) & (m.shards - 1);
      if (!byShard.has(s)) byShard.set(s, []);
      byShard.get(s).push(t);
    });
    var out = new Map();
    return Promise.all(Array.from(byShard.keys()).map(function (s) {
      var have = state.shards.has(s) ? Promise.resolve(state.shards.get(s)) :
        get('s/' + s.toString(16) + '.bin', 'bin').then(function (buf) {
          var map = parseShard(buf, s);
          state.shards.set(s, map);
          return map;
        });
      return have.then(function (map) {
        return Promise.all(byShard.get(s).map(function (t) {
          var e = map.get(t);
          if (!e) return null;
          out.set(t, e);
          if (e.list) return null;
          if (e.bytes) { e.list = decodePostings(e.bytes, e.df); return null; }
          return get(e.ext, 'bin').then(function (buf) { e.list = decodePostings(new Uint8Array(buf), e.df); });
        }));
      });
    })).then(function () { return out; });
  }

  function chunk(dir, per, doc) { return get(dir + '/' + Math.floor(doc / per) + '.json', 'json'); }
  function metaOf(m, doc) { return chunk('m', m.meta_per, doc).then(function (c) { return c[doc % m.meta_per]; }); }
  function textOf(m, doc) { return chunk('x', m.text_per, doc).then(function (c) { return c[doc % m.text_per]; }); }

  // ---------------------------------------------------------------- ranking
  function popcount(x) { x -= (x >>> 1) & 0x55555555; x = (x & 0x33333333) + ((x >>> 2) & 0x33333333); return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24; }

  function score(m, p, entries) {
    var N = m.n;
    var acc = new Map();
    function idf(df) { return Math.log(1 + (N - df + 0.5) / (df + 0.5)); }
    p.matchers.forEach(function (mt) {
      if (mt.fallback && mt.fallback.some(function (t) { return entries.has(t); })) return;
      var lists = [];
      for (var i = 0; i < mt.toks.length; i++) {
        var e = entries.get(mt.toks[i]);
        if (!e || !e.list) return; // every token of a matcher must occur
        lists.push(e);
      }
      var sums;
      lists.forEach(function (e, li) {
        var f = idf(e.df) * (K1 + 1) / 255;
        var next = new Map();
        for (var k = 0; k < e.list.docs.length; k++) {
          var d = e.list.docs[k];
          var s = e.list.imp[k] * f;
          if (li === 0) next.set(d, s);
          else if (sums.has(d)) next.set(d, sums.get(d) + s);
        }
        sums = next;
      });
      sums.forEach(function (s, d) {
        var a = acc.get(d);
        if (!a) { a = { doc: d, mask: 0, score: 0, bonus: 0 }; acc.set(d, a); }
        a.mask |= mt.mask;
        a.score += s * mt.w;
      });
    });
    var full = p.nslots >= 31 ? -1 : (1 << p.nslots) - 1;
    var out = Array.from(acc.values());
    out.forEach(function (a) { a.cov = p.nslots ? popcount(a.mask & full) / p.nslots : 0; });
    return out;
  }

  function byRank(a, b) {
    return (b.cov - a.cov) || (b.score + b.bonus - a.score - a.bonus) || (a.doc - b.doc);
  }

  /**
   * Bonus for query phrases found whole in the title (a synonym counts 0.7), more when
   * they make up most of it, and for a section (action, project) whose title holds the
   * whole query: the page a citizen wants to land on.
   */
  function titleBonus(p, meta) {
    var t = normalize(meta.t);
    var total = 0, hit = 0;
    p.phrases.forEach(function (ph) {
      total += ph.text.length;
      if (t.indexOf(ph.text) >= 0) hit += ph.text.length;
      else if (ph.alts.some(function (a) { return t.indexOf(a) >= 0; })) hit += 0.7 * ph.text.length;
    });
    if (!total) return 0;
    var all = hit >= total * 0.7;
    var hub = meta.k === 'action' || meta.k === 'project';
    return 2.5 * hit / total + (all ? 1.5 * Math.min(1, total / Math.max(1, t.length)) : 0) + (all && hub ? 1 : 0);
  }

  /** Substrings of the query found in `text`, longest first: what to highlight. */
  function matchedTerms(p, text) {
    var terms = new Set();
    p.phrases.forEach(function (ph) {
      var chars = Array.from(ph.text);
      if (chars.length <= 1 || /^[a-z0-9.%]+$/.test(ph.text)) {
        if (text.indexOf(ph.text) >= 0) terms.add(ph.text);
      } else {
        var i = 0;
        while (i < chars.length) {
          var found = 0;
          for (var len = chars.length - i; len >= 2; len--) {
            if (text.indexOf(chars.slice(i, i + len).join('')) >= 0) { found = len; break; }
          }
          if (found) { terms.add(chars.slice(i, i + found).join('')); i += found - 1; if (i + 1 >= chars.length) break; } else i++;
        }
      }
      ph.alts.forEach(function (a) { if (text.indexOf(a) >= 0) terms.add(a); });
    });
    return Array.from(terms).sort(function (a, b) { return b.length - a.length; });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }

  /** Occurrences [start, end) of the terms in text, longest terms first, not overlapping. */
  function occurrences(terms, text) {
    var taken = [];
    terms.forEach(function (t) {
      var at = text.indexOf(t);
      while (at >= 0) {
        var end = at + t.length;
        if (!taken.some(function (o) { return at < o[1] && end > o[0]; })) taken.push([at, end, t]);
        at = text.indexOf(t, end);
      }
    });
    return taken.sort(function (a, b) { return a[0] - b[0]; });
  }

  /** Body bonus: phrases present whole, and how close together the matched terms are. */
  function bodyBonus(p, terms, occ) {
    if (!occ.length) return 0;
    var distinct = new Set(occ.map(function (o) { return o[2]; }));
    var bonus = 0;
    p.phrases.forEach(function (ph) { if (ph.text.length >= 3 && distinct.has(ph.text)) bonus += 0.5; });
    if (distinct.size > 1) {
      // smallest window holding every distinct term
      var need = distinct.size, best = Infinity, count = new Map(), have = 0, lo = 0;
      for (var hi = 0; hi < occ.length; hi++) {
        var t = occ[hi][2];
        count.set(t, (count.get(t) || 0) + 1);
        if (count.get(t) === 1) have++;
        while (have === need) {
          best = Math.min(best, occ[hi][1] - occ[lo][0]);
          var lt = occ[lo][2];
          count.set(lt, count.get(lt) - 1);
          if (!count.get(lt)) have--;
          lo++;
        }
      }
      var len = 0;
      distinct.forEach(function (t) { len += t.length; });
      bonus += Math.min(1, 2 * len / best);
    }
    return bonus;
  }

  /** The excerpt: about `width` characters around the densest cluster of matches. */
  function excerpt(text, occ, width) {
    var chars = text; // UTF-16 indices: the text is almost all BMP
    var start = 0;
    if (occ.length) {
      var best = -1;
      for (var i = 0; i < occ.length; i++) {
        var seen = new Set();
        for (var j = i; j < occ.length && occ[j][1] - occ[i][0] <= width; j++) seen.add(occ[j][2]);
        if (seen.size > best) { best = seen.size; start = occ[i][0]; }
      }
      start = Math.max(0, start - Math.floor(width / 5));
    }
    var end = Math.min(chars.length, start + width);
    var html = start > 0 ? '…' : '';
    var pos = start;
    occ.forEach(function (o) {
      if (o[0] < pos || o[1] > end) return;
      html += escapeHtml(chars.slice(pos, o[0])) + '<mark>' + escapeHtml(chars.slice(o[0], o[1])) + '</mark>';
      pos = o[1];
    });
    html += escapeHtml(chars.slice(pos, end)) + (end < chars.length ? '…' : '');
    return html;
  }

  // ---------------------------------------------------------------- query
  function query(q, opts) {
    var limit = (opts && opts.limit) || 10;
    var width = (opts && opts.excerptLength) || 80;
    q = String(q || '').trim();
    if (!q) return Promise.resolve([]);
    return manifest().then(function (m) {
      var p = plan(q, m.synonyms || {});
      var toks = new Set();
      p.matchers.forEach(function (mt) { if (!mt.fallback) mt.toks.forEach(function (t) { toks.add(t); }); });
      return loadTokens(m, Array.from(toks)).then(function (entries) {
        var more = new Set();
        p.matchers.forEach(function (mt) {
          if (mt.fallback && !mt.fallback.some(function (t) { return entries.has(t); })) mt.toks.forEach(function (t) { more.add(t); });
        });
        return (more.size ? loadTokens(m, Array.from(more)) : Promise.resolve(new Map())).then(function (extra) {
          extra.forEach(function (e, t) { entries.set(t, e); });
          var ranked = score(m, p, entries).sort(byRank);
          var top = ranked.slice(0, Math.max(limit * 2, 20));
          return Promise.all(top.map(function (a) { return metaOf(m, a.doc).then(function (meta) { a.meta = meta; a.bonus = titleBonus(p, meta); }); }))
            .then(function () {
              top.sort(byRank);
              var shown = top.slice(0, limit);
              return Promise.all(shown.map(function (a) {
                return textOf(m, a.doc).then(function (text) {
                  var terms = matchedTerms(p, normalize(text));
                  var occ = occurrences(terms, normalize(text));
                  a.bonus += bodyBonus(p, terms, occ);
                  a.excerpt = excerpt(text, occ, width);
                });
              })).then(function () {
                shown.sort(byRank);
                return shown.map(function (a) {
                  return {
                    url: a.meta.u, title: a.meta.t, excerpt: a.excerpt, breadcrumb: a.meta.b || [],
                    kind: a.meta.k, audience: a.meta.a || [], lead_units: a.meta.l || [],
                  };
                });
              });
            });
        });
      });
    });
  }

  var SiteSearch = {
    query: query,
    /** For tests and embedding: {base, fetch}. */
    configure: function (o) {
      if (o.base) state.base = o.base;
      if (o.fetch) state.fetcher = o.fetch;
      state.manifest = null; state.files.clear(); state.shards.clear();
    },
    kindLabel: function (k) { return KIND_LABELS[k] || k; },
  };
  root.SiteSearch = SiteSearch;

  // ---------------------------------------------------------------- the /search/ page
  if (typeof document === 'undefined') return;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function initPage() {
    var app = document.getElementById('search-app');
    var form = document.getElementById('search-form');
    if (!app || !form) return;
    var input = form.querySelector('input[name=q]');
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    var all = document.getElementById('search-all');
    var filters = { audience: document.getElementById('search-audience'), kind: document.getElementById('search-kind'), lead: document.getElementById('search-lead') };
    app.hidden = false;
    var results = [];
    var seq = 0;

    function params() { return new URLSearchParams(location.search); }
    function readUrl() {
      var ps = params();
      input.value = ps.get('q') || '';
      Object.keys(filters).forEach(function (k) { if (filters[k]) { filters[k].value = ''; filters[k].dataset.want = ps.get(k) || ''; } });
    }
    function writeUrl(push) {
      var ps = new URLSearchParams();
      if (input.value.trim()) ps.set('q', input.value.trim());
      Object.keys(filters).forEach(function (k) { var f = filters[k]; if (f && f.value) ps.set(k, f.value); });
      var url = location.pathname + (ps.toString() ? '?' + ps : '');
      if (url === location.pathname + location.search) return;
      history[push ? 'pushState' : 'replaceState'](null, '', url);
    }

    function fillFilter(sel, values, label) {
      if (!sel) return;
      var want = sel.dataset.want != null ? sel.dataset.want : sel.value;
      sel.textContent = '';
      sel.appendChild(el('option', { value: '' }, '全部'));
      Array.from(new Set(values)).sort().forEach(function (v) {
        var o = el('option', { value: v }, label ? label(v) : v);
        if (v === want) o.selected = true;
        sel.appendChild(o);
      });
      delete sel.dataset.want;
    }

    function render() {
      var f = { audience: filters.audience && filters.audience.value, kind: filters.kind && filters.kind.value, lead: filters.lead && filters.lead.value };
      var shown = results.filter(function (r) {
        return (!f.audience || r.audience.indexOf(f.audience) >= 0) && (!f.kind || r.kind === f.kind) && (!f.lead || r.lead_units.indexOf(f.lead) >= 0);
      });
      list.textContent = '';
      shown.forEach(function (r) {
        var li = el('li', { class: 'search-result' });
        var h = el('h2', { class: 'search-result-title' });
        h.appendChild(el('a', { href: r.url }, r.title));
        li.appendChild(h);
        if (r.breadcrumb.length) li.appendChild(el('p', { class: 'search-result-crumb' }, r.breadcrumb.join(' › ')));
        var ex = el('p', { class: 'search-result-excerpt' });
        ex.innerHTML = r.excerpt; // built from escaped text and <mark> only
        li.appendChild(ex);
        list.appendChild(li);
      });
      var q = input.value.trim();
      status.textContent = !q ? '' : shown.length ? '找到 ' + shown.length + ' 个结果' : '没有找到与“' + q + '”相关的内容，请换个说法试试。';
      if (all) all.hidden = !!q;
    }

    function run(push) {
      var q = input.value.trim();
      var mine = ++seq;
      writeUrl(push);
      if (!q) { results = []; render(); return; }
      status.textContent = '正在搜索…';
      SiteSearch.query(q, { limit: 50 }).then(function (r) {
        if (mine !== seq) return;
        results = r;
        var aud = [], kinds = [], leads = [];
        r.forEach(function (x) { aud = aud.concat(x.audience); kinds.push(x.kind); leads = leads.concat(x.lead_units); });
        fillFilter(filters.audience, aud);
        fillFilter(filters.kind, kinds, SiteSearch.kindLabel);
        fillFilter(filters.lead, leads);
        render();
      }, function () { if (mine === seq) status.textContent = '搜索暂时不可用，请浏览下方的全部页面。'; if (all) all.hidden = false; });
    }

    // History: each new query gets one entry (pushed at its first keystroke, updated while
    // typing), so Back returns to the previous query; filters push entries of their own.
    var timer = null;
    var typing = false;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(!typing); typing = true; }, 120);
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); run(!typing); typing = false; });
    Object.keys(filters).forEach(function (k) { if (filters[k]) filters[k].addEventListener('change', function () { writeUrl(true); render(); }); });
    window.addEventListener('popstate', function () { readUrl(); typing = false; run(false); });

    // keyboard: "/" focuses the box, arrows move between results, Escape returns to the box
    document.addEventListener('keydown', function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll('a'));
      var i = links.indexOf(document.activeElement);
      if (e.key === '/' && document.activeElement !== input && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
        e.preventDefault(); input.focus(); input.select();
      } else if (e.key === 'ArrowDown' && (document.activeElement === input || i >= 0) && links.length) {
        e.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus();
      } else if (e.key === 'ArrowUp' && i >= 0) {
        e.preventDefault(); if (i === 0) input.focus(); else links[i - 1].focus();
      } else if (e.key === 'Escape' && i >= 0) {
        input.focus();
      }
    });

    readUrl();
    if (input.value.trim()) run(false);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', initPage);
  else initPage();
})(typeof window !== 'undefined' ? window : globalThis);
