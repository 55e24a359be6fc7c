"""Quote detection and attribution (tuibrowser.core.quotes) on real news sentences.

Every text below is copied from a real article: the sample seeds (../shared/seeds), BBC News
politics (../shared/data/bbc-news/bbc/politics, files of 001-200, the rules' development
set) or AG News (../shared/data/ag-news-test/test.csv). The speaker lists are written by
hand from each sentence, as the linker would give them, so these tests do not depend on
the linker: `spans()` finds each name's offsets with str.index.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tuibrowser.core.quotes import Quote, Speaker, find_quotes


def spans(text: str, *names: tuple[str, str, str]) -> list[Speaker]:
    """Speakers for (entity id, type, spelling) at every occurrence of the spelling in `text`.

    Longer spellings go first: "Clarke" after "Charles Clarke" finds only the other Clarkes.
    """
    found: list[Speaker] = []
    for entity_id, kind, spelling in names:
        start = text.find(spelling)
        while start != -1:
            end = start + len(spelling)
            if not any(s.start < end and start < s.end for s in found):
                found.append(Speaker(entity_id, start, end, kind))
            start = text.find(spelling, end)
    return found


def attributed(quotes: list[Quote]) -> list[tuple[str, str | None, str | None]]:
    """(first words, speaker, cue) of each quote: what these tests compare."""
    return [(" ".join(q.text.split()[:4]), q.speaker, q.cue) for q in quotes]


def test_text_without_quotation_marks_has_no_quotes_whoever_speaks():
    text = "Charles Clarke said the plan would work. He told reporters it was fair, adding that it was cheap."
    assert find_quotes(text, spans(text, ("charles-clarke", "person", "Charles Clarke"))) == []


# The attribution patterns ------------------------------------------------------------------


def test_name_said_after_the_quote():
    # seeds/004_2171a2abd03856d2.txt (curly quotes, a curly apostrophe inside)
    text = (
        "“The interruption of Yerevan’s activities has a negative impact on the situation in the region "
        "and leads to the aggravation of the situation on the ground,” Zakharova said."
    )
    quotes = find_quotes(text, spans(text, ("maria-zakharova", "person", "Zakharova"), ("yerevan", "place", "Yerevan")))
    assert attributed(quotes) == [("The interruption of Yerevan’s", "maria-zakharova", "said")]
    assert quotes[0].text == text[quotes[0].start : quotes[0].end]
    assert quotes[0].text.endswith("on the ground")  # inside the marks, the comma left out


def test_said_then_title_then_name():
    # bbc/politics/142.txt
    text = (
        '"If we reject this treaty, Britain will be isolated and weak in Europe," said Foreign Secretary '
        'Jack Straw, who along with the rest of the Cabinet, will back a "yes" vote.'
    )
    speakers = spans(text, ("jack-straw", "person", "Jack Straw"), ("britain", "place", "Britain"))
    assert attributed(find_quotes(text, speakers)) == [("If we reject this", "jack-straw", "said")]


def test_name_said_colon_before_the_quote():
    # bbc/politics/001.txt: "Ms Hewitt said: ..." (the paragraph break inside the quote was lost)
    text = (
        "It would mean paid leave would be increased to nine months by 2007, Ms Hewitt told GMTV's Sunday "
        'programme. Ms Hewitt said: "We have already doubled the length of maternity pay, it was 13 weeks '
        'when we were elected, we have already taken it up to 26 weeks. "We are going to extend the pay to '
        "nine months by 2007 and the aim is to get it right up to the full 12 months by the end of the next "
        'Parliament."'
    )
    speakers = spans(text, ("patricia-hewitt", "person", "Hewitt"), ("gmtv", "organization", "GMTV"))
    quotes = find_quotes(text, speakers)
    assert attributed(quotes) == [
        ("We have already doubled", "patricia-hewitt", "said"),
        ("We are going to", "patricia-hewitt", "said"),
    ]
    assert [q.continues for q in quotes] == [False, True]
    assert quotes[0].text.endswith("up to 26 weeks.")


def test_told_reporters_and_told_the_bbc():
    # bbc/politics/147.txt and bbc/politics/027.txt: the listener is never the speaker
    reporters = (
        'On Monday, Dr Fox told reporters: "The prime minister has broken his word so many times in the past '
        'but now his promises do not even last a week. "The Labour Party election pledges, even when they are so '
        'incredibly vague, do not even last four days."'
    )
    speakers = spans(reporters, ("liam-fox", "person", "Fox"), ("labour", "organization", "Labour Party"))
    assert attributed(find_quotes(reporters, speakers)) == [
        ("The prime minister has", "liam-fox", "told"),
        ("The Labour Party election", "liam-fox", "told"),
    ]
    bbc = (
        "Mr Cunningham told BBC Radio 4's Today programme: \"Taken together, Robin Butler's comments are "
        "partial, inaccurate and cannot be taken as anything other than politically biased against the "
        'Labour government."'
    )
    speakers = spans(
        bbc,
        ("jack-cunningham", "person", "Cunningham"),
        ("bbc-radio-4", "organization", "BBC Radio 4"),
        ("robin-butler", "person", "Robin Butler"),
    )
    assert attributed(find_quotes(bbc, speakers)) == [("Taken together, Robin Butler's", "jack-cunningham", "told")]


def test_according_to():
    # bbc/politics/169.txt: "according to Defra's lawyers" - Defra speaks through its lawyers
    text = (
        "In a later conversation Mr Bradshaw was told that according to Defra's lawyers chasing away unwanted "
        'animals was "not in fact hunting as described in the Hunting Act 2004 therefore you would not be '
        'committing an offence".'
    )
    speakers = spans(text, ("ben-bradshaw", "person", "Bradshaw"), ("defra", "organization", "Defra"))
    assert attributed(find_quotes(text, speakers)) == [("not in fact hunting", "defra", "according to")]


def test_according_to_the_report_of_an_organisation_named_before():
    # bbc/politics/080.txt
    text = (
        "The National Audit Office praised ministers for reaching the benchmark of 750,000 adults in England "
        'gaining basic qualifications by this year. But a target of 1.5 million more by 2010 needed "creative" '
        'ideas.\n\nAccording to the report, "more than half" the qualifications achieved were by learners aged '
        "16 to 18."
    )
    speakers = spans(text, ("national-audit-office", "organization", "National Audit Office"))
    assert attributed(find_quotes(text, speakers)) == [("more than half", "national-audit-office", "according to")]


def test_press_office_and_spokesman_speak_for_their_principal():
    # seeds/001_1d91f700048fccb0.txt: "Pashinyan's press office said" is Pashinyan
    office = (
        "Pashinyan’s press office said that the prime minister discussed the humanitarian crisis that has "
        "resulted in Artsakh because of the weeks-long “illegal blockade” of the Lachin Corridor and “attached "
        "importance to necessary steps from Russia of overcoming it.”"
    )
    speakers = spans(office, ("nikol-pashinyan", "person", "Pashinyan"), ("russia", "place", "Russia"))
    assert attributed(find_quotes(office, speakers)) == [
        ("attached importance to necessary", "nikol-pashinyan", "said")
    ]
    # AG News, "Pentagon Disputes Red Cross Criticism (AP)"
    pentagon = (
        'AP - A Pentagon spokesman said Monday that Red Cross officials have "made their view known" that the '
        "indefinite detention of terror suspects at Guantanamo Bay, Cuba, amounts to torture."
    )
    speakers = spans(pentagon, ("pentagon", "organization", "Pentagon"), ("red-cross", "organization", "Red Cross"))
    assert attributed(find_quotes(pentagon, speakers)) == [("made their view known", "pentagon", "said")]
    # bbc/politics/056.txt: the same, after the quote
    home_office = (
        '"It represents a move away from the one-size-fits-all approach to focus on specifics within cultural '
        'groups," said a Home Office spokesman.'
    )
    speakers = spans(home_office, ("home-office", "organization", "Home Office"))
    assert attributed(find_quotes(home_office, speakers)) == [("It represents a move", "home-office", "said")]


def test_the_statement_is_the_organisation_that_issued_it():
    # seeds/001_1d91f700048fccb0.txt, three paragraphs
    text = (
        "Russian Foreign Minister Sergey Lavrov held a telephone conversation on Tuesday with his Azerbaijani "
        "counterpart Jeyhun Bayramov. The two reportedly discussed “ways to settle the situation in the Lachin "
        "Corridor,” the Russian foreign ministry said in a statement.\n\n"
        "“The importance of resuming the work of Armenian-Azerbaijan normalization by all means on the basis of "
        "the trilateral agreements of the leaders of Russia, Armenia and Azerbaijan was emphasized,” added the "
        "statement.\n\n"
        "“The Russian side confirmed its readiness to organize another round of negotiations between the foreign "
        "ministers of the two countries on the issue of the peace treaty between Armenia and Azerbaijan in "
        "Moscow,” the statement said."
    )
    speakers = spans(
        text,
        ("sergey-lavrov", "person", "Sergey Lavrov"),
        ("jeyhun-bayramov", "person", "Jeyhun Bayramov"),
        ("russian-foreign-ministry", "organization", "Russian foreign ministry"),
        ("lachin-corridor", "place", "Lachin Corridor"),
    )
    assert attributed(find_quotes(text, speakers)) == [
        ("ways to settle the", "russian-foreign-ministry", "said"),
        ("The importance of resuming", "russian-foreign-ministry", "added"),
        ("The Russian side confirmed", "russian-foreign-ministry", "said"),
    ]


def test_she_added_and_he_added():
    # seeds/004_2171a2abd03856d2.txt
    she = (
        "Yet during the same press briefing, Zakharova said that an attempt by Azerbaijani forces to breach "
        "Armenia’s sovereign territory on June 15 and plant a flag there was a result of the absence of border "
        "demarcation between the two countries.\n\n"
        "“The peacekeepers are working closely with the parties to settle the situation,” she added, saying that "
        "any accusation against the Russian peacekeeping contingent in Karabakh is groundless."
    )
    speakers = spans(she, ("maria-zakharova", "person", "Zakharova"), ("armenia", "place", "Armenia"))
    assert attributed(find_quotes(she, speakers)) == [("The peacekeepers are working", "maria-zakharova", "added")]
    # seeds/003_752a922da9ade599.txt
    he = (
        'Putin told the leaders a key sign of progress is "an agreement on the fundamental issue of territorial '
        'integrity." He added: "And this is in fact the basis for agreeing on other issues of a secondary nature."'
    )
    quotes = find_quotes(he, spans(he, ("vladimir-putin", "person", "Putin")))
    assert attributed(quotes) == [
        ("an agreement on the", "vladimir-putin", "told"),
        ("And this is in", "vladimir-putin", "added"),
    ]


def test_they_said_is_the_organisation():
    # bbc/politics/051.txt
    text = (
        "The Constitutional Affairs Select Committee said parents with custody could exploit delays in the "
        "system to stop former partners gaining access. Courts should be used as a last resort, but where they "
        "are, their orders should be enforced more rigorously, MPs said. But they rejected the claim made by "
        "some campaign groups that there should be a legal presumption of equal access.\n\n"
        'They said the law should be changed. This would "reassert the rights of non-resident parents to '
        "contact with their children, as well as the rights of children to contact with both their parents, "
        'while maintaining sufficient flexibility to cope with issues of safety", they said.'
    )
    speakers = spans(
        text, ("constitutional-affairs-committee", "organization", "Constitutional Affairs Select Committee")
    )
    assert attributed(find_quotes(text, speakers)) == [
        ("reassert the rights of", "constitutional-affairs-committee", "said")
    ]


def test_attribution_that_closes_a_sentence_of_reported_speech():
    # bbc/politics/075.txt: the quote is inside the reported clause, the speaker at its end
    text = (
        'Ken Livingstone should "stick to his guns" and not apologise for his "Nazi" comment to a Jewish '
        "reporter, Tory MP Boris Johnson has insisted."
    )
    speakers = spans(
        text, ("ken-livingstone", "person", "Ken Livingstone"), ("boris-johnson", "person", "Boris Johnson")
    )
    assert attributed(find_quotes(text, speakers)) == [("stick to his guns", "boris-johnson", "insisted")]


def test_apposition_between_dashes_and_a_place_that_is_not_a_speaker():
    # bbc/politics/040.txt
    text = (
        "On Thursday, Lord Bingham - a senior law lord - said the rules were incompatible with the European "
        'Convention on Human Rights as they allowed detentions "in a way that discriminates on the ground of '
        'nationality or immigration status" by justifying detention without trial for foreign suspects, but not '
        "Britons.\n\nIn a statement, detainee 'A' in Woodhill Prison said: \"I hope now that the government will "
        "act upon this decision, scrap this illegal 'law' and release me and the other internees to return to "
        'our families and loved ones."'
    )
    speakers = spans(
        text,
        ("lord-bingham", "person", "Bingham"),
        ("echr", "organization", "European Convention on Human Rights"),
        ("woodhill-prison", "place", "Woodhill Prison"),
    )
    assert attributed(find_quotes(text, speakers)) == [
        ("in a way that", "lord-bingham", "said"),
        ("I hope now that", None, "said"),  # the detainee is named by no mention; the prison is where
    ]


# Shapes of quotes ---------------------------------------------------------------------------


def test_quote_interrupted_by_its_attribution():
    # seeds/004_2171a2abd03856d2.txt: both halves are Zakharova's, the second continues the first
    text = (
        "“The issue of opening consulates anywhere, particularly in Shushi, remains a topic of bilateral "
        "relations. In this case, between Baku and Ankara,” Zakharova said. “At the same time, we understand "
        "the sensitivity of the issue for Yerevan. In our contacts, we emphasize the need to consider each "
        "other’s interests and the importance of the process of normalization of both Armenian-Azerbaijani and "
        "Armenian-Turkish relations.”"
    )
    speakers = spans(
        text,
        ("maria-zakharova", "person", "Zakharova"),
        ("baku", "place", "Baku"),
        ("ankara", "place", "Ankara"),
        ("yerevan", "place", "Yerevan"),
    )
    quotes = find_quotes(text, speakers)
    assert attributed(quotes) == [
        ("The issue of opening", "maria-zakharova", "said"),
        ("At the same time,", "maria-zakharova", "said"),
    ]
    assert [q.continues for q in quotes] == [False, True]
    assert "Zakharova said" not in quotes[0].text + quotes[1].text


def test_quote_spanning_paragraphs():
    # bbc/politics/040.txt: the first paragraph leaves the quote open, the next reopens it
    text = (
        "The ruling came on Charles Clarke's first day as home secretary following David Blunkett's resignation. "
        'In a statement to MPs, Mr Clarke said: "I will be asking Parliament to renew this legislation in the '
        'New Year.\n\n"In the meantime, we will be studying the judgment carefully to see whether it is possible '
        'to modify our legislation to address the concerns raised by the House of Lords." The detainees took '
        "their case to the House of Lords after the Court of Appeal backed the Home Office's powers."
    )
    speakers = spans(
        text,
        ("charles-clarke", "person", "Charles Clarke"),
        ("charles-clarke", "person", "Clarke"),
        ("david-blunkett", "person", "David Blunkett"),
        ("house-of-lords", "organization", "House of Lords"),
    )
    quotes = find_quotes(text, speakers)
    assert attributed(quotes) == [
        ("I will be asking", "charles-clarke", "said"),
        ("In the meantime, we", "charles-clarke", "said"),
    ]
    first, second = quotes
    assert first.text.endswith("in the New Year.") and "\n" not in first.text
    assert text[second.start - 3 : second.start] == '\n\n"'
    assert second.continues and not first.continues


def test_single_quotes_nested_in_double_quotes_are_part_of_the_quote():
    # bbc/politics/008.txt
    text = (
        'Barbara Follet, one of the so-called "Blair Babes" elected in 1997, told researchers: "I remember some '
        "Conservatives - whenever a Labour woman got up to speak they would take their breasts - imaginary "
        "breasts - in their hands and wiggle them and say 'melons' as we spoke.\""
    )
    speakers = spans(text, ("barbara-follet", "person", "Barbara Follet"), ("labour", "organization", "Labour"))
    quotes = find_quotes(text, speakers)
    assert attributed(quotes) == [("I remember some Conservatives", "barbara-follet", "told")]
    assert "'melons'" in quotes[0].text  # "Blair Babes" (two words) is a scare quote, left out


def test_apostrophes_are_not_quotes():
    # seeds/000_449d92beec06ff46.txt: 'international negotiations' is a two-word scare quote;
    # country’s, Putin’s and Russia's are apostrophes
    text = (
        "Russia's President Vladimir Putin will hold in-person 'international negotiations' next week, according "
        "to the segment aired by Russian state TV on Sunday. Putin will also chair a meeting with the Russian "
        "government officials as well as hold consultations with permanent members of the country’s Security "
        "Council. The Kremlin press service is yet to announce Putin’s schedule for next week."
    )
    assert find_quotes(text, spans(text, ("vladimir-putin", "person", "Putin"))) == []
    # AG News, "Bea Arthur for President": it's and wasn't inside a quote with a nested quote
    arthur = (
        "\"She started yelling that it wasn't hers and said 'The terrorists put it there,' \" a fellow passenger said."
    )
    quotes = find_quotes(arthur, [])
    assert [q.text for q in quotes] == [
        "She started yelling that it wasn't hers and said 'The terrorists put it there,'"
    ]
    assert quotes[0].speaker is None and quotes[0].cue == "said"  # "a fellow passenger" is nobody we know


def test_pronoun_chain_follows_the_named_speaker_of_the_right_sex():
    # bbc/politics/001.txt: "she" is Hewitt and then May; "he" is Frost, not either of them
    text = (
        "Ms Hewitt also stressed the plans would be paid for by taxpayers, not employers. But David Frost, "
        "director general of the British Chambers of Commerce, warned that many small firms could be "
        '"crippled" by the move. "While the majority of any salary costs may be covered by the government\'s '
        "statutory pay, recruitment costs, advertising costs, retraining costs and the strain on the company "
        'will not be," he said.'
    )
    speakers = spans(
        text,
        ("patricia-hewitt", "person", "Hewitt"),
        ("david-frost", "person", "David Frost"),
        ("british-chambers-of-commerce", "organization", "British Chambers of Commerce"),
    )
    assert attributed(find_quotes(text, speakers)) == [("While the majority of", "david-frost", "said")]
    # seeds/004_2171a2abd03856d2.txt: a name, "she", the name again, "she" again
    chain = (
        "This terse call to Baku was made by Russian Foreign Ministry spokesperson Maria Zakharova, who also told "
        "reporters on Wednesday that Moscow is continuing to work through Russian peacekeepers.\n\n"
        "She emphasized that the November 9, 2020 agreement “is as relevant as it was before.”\n\n"
        "Yet during the same press briefing, Zakharova said that an attempt by Azerbaijani forces to breach "
        "Armenia’s sovereign territory was a result of the absence of border demarcation.\n\n"
        "“The peacekeepers are working closely with the parties to settle the situation,” she added."
    )
    speakers = spans(
        chain,
        ("maria-zakharova", "person", "Maria Zakharova"),
        ("maria-zakharova", "person", "Zakharova"),
        ("baku", "place", "Baku"),
        ("moscow", "place", "Moscow"),
    )
    assert attributed(find_quotes(chain, speakers)) == [
        ("is as relevant as", "maria-zakharova", "emphasised"),
        ("The peacekeepers are working", "maria-zakharova", "added"),
    ]


def test_a_quote_that_is_its_own_sentence_takes_the_speaker_of_the_sentence_before():
    # bbc/politics/001.txt
    text = (
        "She said new mothers were already entitled to 12 months leave, but that many women could not take it "
        'as only six of those months were paid. "We have made a firm commitment. We will definitely extend the '
        "maternity pay, from the six months where it now is to nine months, that's the extra £1,400.\""
    )
    before = "Ms Hewitt said the plans were costed. "
    text = before + text  # the antecedent of "She", as in the article
    speakers = spans(text, ("patricia-hewitt", "person", "Hewitt"))
    assert attributed(find_quotes(text, speakers)) == [("We have made a", "patricia-hewitt", "said")]


def test_scare_quotes_are_left_out_and_unattributed_quotes_kept():
    # bbc/politics/001.txt
    scare = (
        'The Tories dismissed the maternity pay plan as "desperate", while the Liberal Democrats said it was '
        "misdirected."
    )
    assert find_quotes(scare, spans(scare, ("tories", "organization", "Tories"))) == []
    # bbc/politics/142.txt: a quote nobody is said to have said
    question = (
        'It will be: "Should the United Kingdom approve the treaty establishing a constitution for the European '
        'Union?" The constitution will be incorporated into UK law if there is a yes vote in the referendum.'
    )
    speakers = spans(question, ("united-kingdom", "place", "United Kingdom"), ("eu", "organization", "European Union"))
    assert attributed(find_quotes(question, speakers)) == [("Should the United Kingdom", None, None)]


def test_the_speaker_is_a_mention_never_free_text():
    # bbc/politics/116.txt: "Michelle" is no entity the linker found, so the quote has no speaker
    text = (
        "Michelle, a mother of twins, said she had not received a penny of the £57 a week she should be "
        "receiving from her ex-partner. \"I don't receive correspondence, I don't receive phone calls, I have to "
        'chase them all the time," she said.'
    )
    quotes = find_quotes(text, [])
    assert attributed(quotes) == [("I don't receive correspondence,", None, "said")]


def test_ag_news_items():
    # AG News, "Bill Gates Gets 4 Million E-Mails a Day"
    gates = (
        "Bill Gates might not use AOL, but he's definitely got mail. The Microsoft Corp. chairman receives "
        "millions of Internet messages a day, said Steve Ballmer, the company's chief executive. \"Bill literally "
        'receives 4 million pieces of e-mail per day, most of it spam," Ballmer said Thursday.'
    )
    speakers = spans(
        gates,
        ("bill-gates", "person", "Bill Gates"),
        ("steve-ballmer", "person", "Steve Ballmer"),
        ("steve-ballmer", "person", "Ballmer"),
        ("microsoft", "organization", "Microsoft Corp."),
    )
    assert attributed(find_quotes(gates, speakers)) == [("Bill literally receives 4", "steve-ballmer", "said")]
    # AG News, "Melvin Faces Major Challenge in Arizona (AP)": "he said", then a second quote
    melvin = (
        "AP - After the Wally Backman fiasco, the Arizona Diamondbacks were fortunate to have a handy and willing "
        "backup choice in Bob Melvin. The low-key Melvin so coveted the managing job that he brushed aside any "
        'concern about being the team\'s second choice. "This is the one I really wanted," he said. "This is '
        'where I feel most at home." That home, though, is in disarray.'
    )
    speakers = spans(
        melvin,
        ("wally-backman", "person", "Wally Backman"),
        ("arizona-diamondbacks", "organization", "Arizona Diamondbacks"),
        ("bob-melvin", "person", "Melvin"),
    )
    quotes = find_quotes(melvin, speakers)
    assert attributed(quotes) == [
        ("This is the one", "bob-melvin", "said"),
        ("This is where I", "bob-melvin", "said"),
    ]


def test_offsets_point_at_the_quoted_words():
    # seeds/003_752a922da9ade599.txt
    text = (
        'Pashinyan said on Thursday, "I want to confirm that Armenia and Azerbaijan agreed on mutual recognition '
        "of each other's territorial integrity, and on this basis we can say that we are moving quite well "
        'towards settlement of our relations."'
    )
    quotes = find_quotes(text, spans(text, ("nikol-pashinyan", "person", "Pashinyan")))
    assert attributed(quotes) == [("I want to confirm", "nikol-pashinyan", "said")]
    quote = quotes[0]
    assert text[quote.start - 1] == '"' and text[quote.end] == '"' and quote.text == text[quote.start : quote.end]


# Hostile input --------------------------------------------------------------------------------

HOSTILE = textwrap.dedent(
    """
    from tuibrowser.core.quotes import Speaker, find_quotes
    size = 1 << 20
    for text in ("a" * size, '"' * size, "“" * size, "“’" * (size // 2), "'" * size, 'x said. "' * (size // 9)):
        find_quotes(text, [Speaker("x", 0, 1, "person")])
    print("done")
    """
)


def test_a_megabyte_without_spaces_or_of_quotation_marks_completes():
    """Every regex is linear: a 1 MiB token or run of quotation marks takes seconds, not forever."""
    result = subprocess.run([sys.executable, "-c", HOSTILE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
