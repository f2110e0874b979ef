// The Stack Exchange API's read subset, read by an existing client for that API
// (the npm package `stackexchange`, unmodified), pointed at the demo site: questions,
// the answers of a question, search, users and tags come back in the original's
// shapes. BASE_URL names the server.
import assert from 'node:assert/strict';
import StackExchange from 'stackexchange';

const base = new URL(process.env.BASE_URL ?? 'http://127.0.0.1:8097');
const context = new StackExchange({ api: base.host, protocol: base.protocol, version: '2.3', site: 'ponder' });

// The client takes callbacks; each call here awaits one.
const ask = (method, ...args) =>
  new Promise((resolve, reject) => {
    const callback = (err, body) => (err ? reject(err) : resolve(body));
    method(...args.map((a) => (a === ask.callback ? callback : a)));
  });
ask.callback = Symbol('callback');
const cb = ask.callback;

function check(body, what) {
  assert.ok(body && !body.error_id, `${what}: ${JSON.stringify(body).slice(0, 300)}`);
  assert.ok(Array.isArray(body.items), `${what}: no items`);
  assert.equal(typeof body.has_more, 'boolean', `${what}: has_more`);
  assert.equal(typeof body.quota_remaining, 'number', `${what}: quota_remaining`);
  return body.items;
}

const questions = check(
  await ask(context.questions.questions, { pagesize: 5, sort: 'votes', order: 'desc' }, cb),
  'questions',
);
assert.equal(questions.length, 5);
for (const q of questions) {
  assert.equal(typeof q.question_id, 'number');
  assert.equal(typeof q.title, 'string');
  assert.equal(typeof q.creation_date, 'number');
  assert.ok(Array.isArray(q.tags));
  assert.ok(q.link.startsWith(base.origin), q.link);
}
assert.ok(questions[0].score >= questions[4].score, 'sorted by votes');

const withAnswers = questions.find((q) => q.answer_count > 0);
assert.ok(withAnswers, 'a question with answers');
const answers = check(
  await ask(context.questions.answers, { filter: 'withbody', sort: 'votes' }, cb, [withAnswers.question_id]),
  'answers',
);
assert.equal(answers.length, withAnswers.answer_count);
assert.ok(answers.every((a) => a.question_id === withAnswers.question_id && typeof a.body === 'string'));

const found = check(await ask(context.search.search, { intitle: 'Berlin', sort: 'relevance' }, cb), 'search');
assert.ok(found.some((q) => /Berlin/.test(q.title)), JSON.stringify(found.map((q) => q.title)));

const owner = questions[0].owner.user_id;
const users = check(await ask(context.users.users, {}, [owner], cb), 'users');
assert.equal(users[0].user_id, owner);
assert.equal(typeof users[0].reputation, 'number');
const everyone = check(await ask(context.users.users, { pagesize: 3 }, cb), 'all users');
assert.ok(everyone.length > 0);

const tags = check(await ask(context.tags.tags, { sort: 'popular' }, cb), 'tags');
assert.ok(tags.length > 0 && typeof tags[0].count === 'number');
const info = check(await ask(context.tags.info, { sort: 'popular' }, cb, [tags[0].name]), 'tag info');
assert.equal(info[0].name, tags[0].name);

console.log(`stackexchange client: ${questions.length} questions, ${answers.length} answers, ${found.length} found, ${tags.length} tags`);
