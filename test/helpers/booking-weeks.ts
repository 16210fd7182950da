import { type HtmlPage, page } from './html';
import type { Agent } from './sign-in';

/**
 * The booking pages show one week of slots at a time, with links to the weeks before and after. Every
 * week of the booking window, in order, as the person reads them: from the page at `url` (the week it
 * shows), back by « Semaine précédente » to the first, then forward by « Semaine suivante » to the last.
 */
export async function everyWeek(who: Agent, url: string): Promise<HtmlPage[]> {
  const linkOf = (p: HtmlPage, id: string) => p.testId(id).attr('href');
  let p = page(await who.get(url).expect(200));
  for (let previous = linkOf(p, 'week-previous'); previous; previous = linkOf(p, 'week-previous'))
    p = page(await who.get(previous).expect(200));
  const weeks = [p];
  for (let next = linkOf(p, 'week-next'); next; next = linkOf(p, 'week-next')) weeks.push((p = page(await who.get(next).expect(200))));
  return weeks;
}

/** The values of a radio group over every week of the booking window (the `slot` radios: "template|day"). */
export async function optionsOfEveryWeek(who: Agent, url: string, name = 'slot'): Promise<string[]> {
  return (await everyWeek(who, url)).flatMap((p) => p.options(name));
}
