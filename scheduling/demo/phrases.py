"""Text fragments: discussion topics attendees write about, feedback, reasons, notes, tasks.

Each topic has its own vocabulary (subjects, sentences, short forms) so answers about it can
be told apart, while openings, asks, contexts and closings are shared and vary the phrasing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """Fragments about one discussion topic: noun phrases, full sentences and terse forms."""

    key: str
    label: str
    subjects: tuple[str, ...]
    sentences: tuple[str, ...]
    shorts: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "financial_aid",
        "financial aid",
        (
            "my financial aid package",
            "the FAFSA",
            "need-based financial aid",
            "federal student loans",
            "work-study",
            "grants versus loans",
            "my financial aid award letter",
            "the CSS Profile",
            "a tuition payment plan",
            "appealing my financial aid offer",
        ),
        (
            "Our family income dropped this year; how does that change my financial aid?",
            "I submitted the FAFSA weeks ago but still haven't received a financial aid offer.",
            "How much of tuition do grants usually cover, and how much would be loans?",
            "Can I pay tuition in monthly instalments instead of one lump sum?",
            "My award letter lists an unsubsidized loan and I don't understand the interest.",
            "Is there emergency financial aid if a parent loses their job?",
            "What counts as income on the FAFSA when parents are divorced?",
            "The expected family contribution on my aid package seems far too high.",
            "Do part-time students qualify for Pell grants or other need-based aid?",
        ),
        (
            "FAFSA help",
            "financial aid questions",
            "aid package / loans",
            "help understanding my award letter",
            "need based aid??",
            "grants and loans",
        ),
    ),
    Topic(
        "visa_immigration",
        "visas and immigration",
        (
            "the student visa process",
            "my F-1 visa application",
            "getting my I-20",
            "the visa interview at the embassy",
            "a UK student visa and the CAS letter",
            "immigration documents for my family",
            "working while on a student visa",
            "the SEVIS fee",
        ),
        (
            "When will I receive my I-20 so I can book my visa interview at the embassy?",
            "My student visa was refused once before; can I still apply for a visa?",
            "What proof of funds does the embassy expect for the F-1 visa?",
            "Can my spouse come with me on a dependant visa?",
            "Do I need to pay the SEVIS fee before the visa interview?",
            "How many hours can I work on a student visa during term?",
            "My passport expires next year; does that affect the visa application?",
            "What immigration documents do I show at the border on arrival?",
            "The consulate has no visa appointments until August. What are my options?",
        ),
        (
            "visa questions",
            "I-20 / F-1 visa",
            "student visa help pls",
            "visa interview prep",
            "immigration paperwork",
            "visa appointment",
        ),
    ),
    Topic(
        "transfer_credits",
        "transfer credits",
        (
            "transferring my credits",
            "which of my community college credits transfer",
            "a transfer credit evaluation",
            "transferring from another university",
            "my transcript evaluation for transfer",
            "credit for AP and IB exams",
            "articulation agreements for transfer students",
        ),
        (
            "I've completed 45 credits at a community college and want to know how many transfer.",
            "Will credits from a university abroad transfer, or do I need a WES evaluation?",
            "Do my AP exam scores count as transfer credit?",
            "I'm transferring mid-year; how long does the credit evaluation take?",
            "Some of my courses were pass/fail. Can those credits still transfer?",
            "Is there a cap on how many transfer credits count toward the degree?",
            "My transcript shows a D in one class; will that credit transfer?",
            "Do you have an articulation agreement with my community college?",
        ),
        (
            "transfer credits",
            "credit transfer from CC",
            "how many credits transfer?",
            "transcript evaluation",
            "transfer student credits",
        ),
    ),
    Topic(
        "scholarship_deadlines",
        "scholarship deadlines",
        (
            "scholarship deadlines",
            "the merit scholarship deadline",
            "applying for scholarships",
            "the Global Leaders scholarship",
            "scholarship eligibility",
            "a late scholarship application",
            "renewing my scholarship",
        ),
        (
            "Is the merit scholarship deadline the same as the application deadline?",
            "I missed the scholarship deadline by two days. Can I still be considered?",
            "Do I need a separate scholarship application or am I considered automatically?",
            "What GPA do I need to keep my scholarship renewed next year?",
            "Which scholarships are open to applicants from overseas, and when are they due?",
            "Can I hold more than one scholarship at the same time?",
            "When will scholarship decisions be announced?",
            "Is the scholarship deadline different for early decision?",
        ),
        (
            "scholarship deadline?",
            "merit scholarships",
            "scholarship dates",
            "scholarship deadlines pls",
            "scholarship eligibility",
        ),
    ),
    Topic(
        "course_prerequisites",
        "course prerequisites",
        (
            "course prerequisites",
            "the calculus prerequisite",
            "the maths placement test",
            "which prerequisite courses I need",
            "prerequisites for Computer Science",
            "the chemistry prerequisite for Health Sciences",
            "waiving a prerequisite",
        ),
        (
            "Do I need Calculus I as a prerequisite before I can enrol in Physics 101?",
            "I never took chemistry at school; is it a prerequisite for Health Sciences?",
            "Can I take the maths placement test to skip the algebra prerequisite?",
            "Which prerequisites do I need before second-year programming courses?",
            "I failed statistics last term. Is it a hard prerequisite for the next course?",
            "Is there a bridging course if I'm missing a prerequisite?",
            "My prerequisite course was taken five years ago; does it still count?",
            "I'm stuck on derivatives and limits, which the next calculus module requires.",
        ),
        (
            "prereqs for CS",
            "calculus prerequisite",
            "placement test question",
            "prerequisite waiver",
            "course prerequisites",
        ),
    ),
    Topic(
        "housing",
        "housing",
        (
            "on-campus housing",
            "student accommodation",
            "the housing application",
            "dorm options",
            "finding a roommate",
            "off-campus housing and rent",
            "housing costs",
            "residence halls",
        ),
        (
            "Is housing guaranteed for first-year students?",
            "How do I find a roommate, and can I request a specific dorm?",
            "What does student accommodation cost per month, including meals?",
            "Are there residence halls that stay open over the winter break?",
            "I'm looking for off-campus housing nearby; do you have a list of landlords?",
            "When does the housing application open and is there a deposit?",
            "Can I get a single room in the dorms for medical reasons?",
            "Is there family housing for students with children?",
        ),
        (
            "housing",
            "dorms?",
            "accommodation options",
            "roommate/housing question",
            "housing application",
        ),
    ),
    Topic(
        "essay_feedback",
        "essay feedback",
        (
            "my personal statement",
            "feedback on my application essay",
            "my essay draft",
            "the 'Why Northwind' essay",
            "cutting my essay to the word limit",
            "the structure of my essay",
            "my supplemental essays",
        ),
        (
            "My personal statement is 200 words over the limit and I don't know what to cut.",
            "Could you read my essay draft and tell me if the opening paragraph is strong enough?",
            "I'm not sure my essay actually answers the prompt.",
            "I wrote my essay about my grandmother but worry it sounds like everyone else's.",
            "How personal should the personal statement be?",
            "Can we work on the conclusion of my essay? It feels rushed.",
            "I have three essay drafts and can't decide which one to submit.",
            "Is it okay to reuse my Common App essay for the supplement?",
        ),
        (
            "essay feedback",
            "personal statement review",
            "essay draft help",
            "review my essay pls",
            "essay edits",
        ),
    ),
    Topic(
        "recommendation_letters",
        "recommendation letters",
        (
            "recommendation letters",
            "who to ask for a letter of recommendation",
            "my teacher recommendations",
            "submitting reference letters",
            "a counsellor recommendation letter",
            "the referee form",
            "letters of reference",
        ),
        (
            "How many recommendation letters do I need, and can one be from my employer?",
            "My teacher hasn't submitted her recommendation letter yet; will that delay things?",
            "Should I ask my maths teacher or my English teacher for a recommendation?",
            "Can my recommender upload the letter after the due date?",
            "I've been out of school for years; who can write my reference letter?",
            "Do you accept recommendation letters in Spanish with a translation?",
            "What should I give my referees so they can write a strong letter?",
            "Does the counsellor recommendation need to be on school letterhead?",
        ),
        (
            "recommendation letters",
            "letter of rec question",
            "referee / references",
            "recommender upload",
            "rec letters",
        ),
    ),
    Topic(
        "internships",
        "internships",
        (
            "finding an internship",
            "summer internships",
            "internship opportunities in tech",
            "getting credit for my internship",
            "my CV for internship applications",
            "paid internships",
            "the co-op internship programme",
        ),
        (
            "I'm looking for a summer internship in marketing; do you have employer partners?",
            "Can an internship count toward my degree?",
            "How early should I start applying for software engineering internships?",
            "I got an internship offer but it's unpaid. Is that normal?",
            "Could you look at my CV before I apply for internships?",
            "Which employers hire interns from Northwind each summer?",
            "What's the difference between the co-op programme and a normal internship?",
            "I have an internship interview next week and want to practise.",
        ),
        (
            "internships",
            "internship search",
            "summer internship help",
            "CV for internships",
            "internship interview",
        ),
    ),
    Topic(
        "online_vs_in_person",
        "online vs in-person study",
        (
            "online vs in-person classes",
            "the hybrid option",
            "studying fully online",
            "switching from online to in-person classes",
            "how the online programme compares with in-person",
            "remote learning",
            "live online lectures",
        ),
        (
            "Is the online programme the same degree as the in-person one?",
            "Can I start online and move to in-person classes in the second year?",
            "How many hours a week are live online lectures, and are they recorded?",
            "I work full time, so I'm deciding between the hybrid and fully online options.",
            "Do online students get the same access to tutors as in-person students?",
            "Are exams taken online or in person at a test centre?",
            "Is the in-person cohort smaller than the online one?",
            "Is the timetable more flexible online than in person?",
        ),
        (
            "online vs in person",
            "hybrid or online?",
            "online classes question",
            "in-person vs remote",
            "online option",
        ),
    ),
)

OPENINGS = (
    "",
    "",
    "",
    "Hi,",
    "Hello!",
    "Hi there -",
    "Good morning.",
    "Hey,",
    "Dear adviser,",
    "Quick question:",
    "So,",
    "Hello, hope you're well.",
)
ASKS = (
    "I have a few questions about {subject}.",
    "Can we go over {subject}?",
    "I'd like some advice on {subject}.",
    "I'm confused about {subject}.",
    "Could you explain {subject}?",
    "Need help with {subject}",
    "Mainly {subject}.",
    "I want to understand {subject} better.",
    "Would love to talk through {subject}.",
    "{subject}, if we have time.",
    "Looking for guidance on {subject}.",
)
CONTEXTS = (
    "I'm applying for fall 2027.",
    "I'm a parent asking on behalf of my son.",
    "My daughter is in her final year of high school.",
    "I'm currently working full time.",
    "I'm the first in my family to go to college.",
    "I'm coming back to study after a few years off.",
    "I'm an international applicant.",
)
CLOSINGS = (
    "",
    "",
    "",
    "Thanks!",
    "Thank you so much.",
    "Thanks in advance",
    "Appreciate it.",
    "thx",
    "Looking forward to it.",
    "Thank you!",
)

CANCEL_BY_ATTENDEE = (
    "Something came up at work.",
    "I have a clash with a class.",
    "Found the answer on the website, thanks!",
    "Feeling unwell, sorry.",
    "Travelling that day after all.",
    "Booked by mistake.",
    "My internet is down at home this week.",
    "Decided to apply next year instead.",
)
CANCEL_BY_HOST = (
    "Adviser unwell - please book another time.",
    "Double-booked with a committee meeting, sorry!",
    "Duplicate booking from the same student.",
    "Adviser travelling to a recruitment fair.",
)

FEEDBACK_COMMENTS: dict[str, tuple[str, ...]] = {
    "positive": (
        "Really helpful, thank you!",
        "Clear answers and a friendly adviser.",
        "I finally understand what I need to do next.",
        "Great session, very patient with my questions.",
        "Super useful. Booking again next month.",
        "Exactly what I needed.",
    ),
    "neutral": (
        "Useful but we ran out of time.",
        "OK, some of it was already on the website.",
        "Good, though the video link took a while to work.",
    ),
    "negative": (
        "The adviser joined ten minutes late.",
        "Didn't get a clear answer to my question.",
        "Felt rushed.",
    ),
}

NOTE_TEMPLATES = (
    "{first} asked about {label}; sent the relevant guide afterwards.",
    "Strong applicant. Talked through {label} and next steps.",
    "{first} will email documents this week. Main concern: {label}.",
    "Parent joined. Covered {label} in detail.",
    "Follow up in two weeks on {label}.",
)
GENERAL_NOTES = (
    "Good conversation; {first} knows what to do next.",
    "{first} was well prepared. No follow-up needed.",
    "Rescheduled once before; keep an eye on attendance.",
)
TASK_TEMPLATES = (
    "Send {first} the guide on {label}",
    "Follow up with {first} about {label}",
    "Check {first}'s application status",
    "Email {first} a summary of our call",
)

TAGS: tuple[tuple[str, str], ...] = (
    ("Hot lead", "#dc2626"),
    ("Follow-up needed", "#f59e0b"),
    ("International", "#2563eb"),
    ("Scholarship candidate", "#7c3aed"),
    ("Transfer student", "#0891b2"),
    ("Parent attended", "#16a34a"),
    ("Partner referral", "#db2777"),
    ("Needs interpreter", "#6b7280"),
)

# Which tag a booking about a topic most likely gets.
TOPIC_TAGS = {
    "visa_immigration": "International",
    "scholarship_deadlines": "Scholarship candidate",
    "transfer_credits": "Transfer student",
    "financial_aid": "Follow-up needed",
}
