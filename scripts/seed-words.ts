/**
 * The vocabulary of seeded titles and descriptions: words people put on videos, most common first (the seed
 * draws early words more often, as real text does). Kept small and committed so seeds are reproducible.
 */
export const SEED_WORDS = [
  ...'how to the best new my first day with and for in of a my vlog video official live review tutorial guide'.split(
    ' ',
  ),
  ...'music song cover remix trailer episode part full highlights reaction unboxing challenge funny cat dog'.split(
    ' ',
  ),
  ...'game gameplay walkthrough lets play minecraft speedrun build house tiny cabin kitchen recipe easy quick'.split(
    ' ',
  ),
  ...'dinner breakfast lunch bread pasta pizza curry vegan chicken cake chocolate coffee tea street food market'.split(
    ' ',
  ),
  ...'travel trip tour city night walk hiking mountain river lake ocean beach island forest desert snow winter'.split(
    ' ',
  ),
  ...'summer spring autumn rain storm sunset sunrise timelapse drone footage camera lens photography edit color'.split(
    ' ',
  ),
  ...'guitar piano drums bass violin lesson beginner advanced practice chords scales jazz blues rock metal pop'.split(
    ' ',
  ),
  ...'classical acoustic electric concert festival album studio session behind scenes interview podcast talk'.split(
    ' ',
  ),
  ...'science physics chemistry biology space rocket launch planet mars moon star galaxy telescope experiment'.split(
    ' ',
  ),
  ...'history ancient rome empire war castle medieval documentary explained theory facts mystery secret story'.split(
    ' ',
  ),
  ...'coding programming javascript typescript python rust golang database postgres server cloud serverless api'.split(
    ' ',
  ),
  ...'react design system tips tricks setup desk workspace keyboard mechanical laptop phone review comparison'.split(
    ' ',
  ),
  ...'car engine repair restoration bike motorcycle electric battery solar garden plants flowers tomato harvest'.split(
    ' ',
  ),
  ...'fitness workout yoga running marathon training stretch morning routine healthy sleep meditation calm'.split(
    ' ',
  ),
  ...'football soccer basketball tennis skate surf climbing ski snowboard match goal final season team player'.split(
    ' ',
  ),
  ...'art drawing painting watercolor sketch portrait animation pixel clay pottery wood woodworking knife craft'.split(
    ' ',
  ),
  ...'diy home renovation bathroom paint tiles floor furniture restore clean organize minimal budget money save'.split(
    ' ',
  ),
  ...'learn language english spanish french japanese german words grammar school exam study college student'.split(
    ' ',
  ),
  ...'baby kids family wedding birthday party surprise prank magic trick puzzle chess cards board tabletop'.split(
    ' ',
  ),
  ...'café crème résumé naïve jalapeño façade smörgåsbord über piñata déjà vu fiancé doppelgänger açaí'.split(
    ' ',
  ),
];

/**
 * Syllables for made-up names (people, places, brands: "Karovel", "Tamisu"), the rare words real titles are full
 * of; two or three of them give tens of thousands of distinct words that each match only a few videos.
 */
export const SEED_SYLLABLES = [
  ...'ka ro vel ta mi su lo ren dra gon bel ix an tor shi vo qua zel mar nik'.split(' '),
  ...'pe tu rax il do fen gra wy lum os cas jo ber hal tri mu sen ok ze bri'.split(' '),
];
