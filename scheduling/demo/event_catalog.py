"""The demo's event types: every meeting type, with questions, prep resources and demand.

Pure data. `topics` weights which discussion topics attendees of an event bring up;
`weekly_rate` and `mean_lead_days` shape how often and how early it is booked.
"""

from __future__ import annotations

from scheduling.demo.content import (
    DISCUSS,
    DISCUSS_OPTIONAL,
    ORGANISATION,
    PHONE,
    ROLE,
    WORK_EMAIL,
    EventSpec,
    QuestionSpec,
    ResourceSpec,
    SessionSpec,
)
from scheduling.models.enums import LocationType, MeetingType, QuestionType

INTAKE = QuestionSpec(
    "Which intake are you considering?",
    QuestionType.SELECT,
    required=True,
    options=("Spring 2027", "Fall 2027", "Spring 2028", "Not sure yet"),
)
PROGRAMME = QuestionSpec(
    "Programme of interest",
    QuestionType.SELECT,
    options=(
        "Business Foundations",
        "Computer Science",
        "Health Sciences",
        "Design & Media",
        "Engineering Pathway",
        "Undecided",
    ),
)
SUBJECT = QuestionSpec(
    "Subject",
    QuestionType.SELECT,
    required=True,
    options=("Calculus", "Statistics", "Physics", "Chemistry", "Academic writing", "Programming"),
)
COURSE_CODE = QuestionSpec(
    "Course code",
    QuestionType.TEXT,
    samples=("MATH 121", "MATH 140", "STAT 200", "PHYS 101", "CHEM 110", "CS 105", "ENG 102"),
)

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        slug="admissions-consultation",
        title="Admissions Consultation",
        description=(
            "A one-to-one video call with an admissions adviser about your application, "
            "entry requirements, costs and next steps. Parents are welcome to join."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Daniel Okafor",),
        duration=30,
        increment=15,
        notice_hours=12,
        guest_limit=1,
        questions=(DISCUSS, INTAKE, PROGRAMME, PHONE),
        resources=(
            ResourceSpec(
                "Entry requirements by programme",
                "/admissions/entry-requirements",
                "Grades and tests each programme expects.",
            ),
            ResourceSpec(
                "Application checklist (PDF)",
                "/files/application-checklist.pdf",
                "Everything to have ready before you apply.",
            ),
        ),
        weekly_rate=13,
        mean_lead_days=5,
        topics={
            "financial_aid": 2,
            "transfer_credits": 2,
            "essay_feedback": 1.5,
            "scholarship_deadlines": 1.5,
            "course_prerequisites": 1,
            "housing": 1,
            "online_vs_in_person": 1.5,
            "recommendation_letters": 1,
            "visa_immigration": 0.5,
        },
    ),
    EventSpec(
        slug="financial-aid-qa",
        title="Financial Aid Q&A",
        description=(
            "Questions about grants, loans, payment plans or your aid offer? A financial aid "
            "adviser will call you. Have your award letter to hand if you have one."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Priya Raman",),
        duration=30,
        location_type=LocationType.PHONE,
        location="We'll call you on the number you give below.",
        notice_hours=24,
        window_days=45,
        max_daily=6,
        buffer_after=10,
        questions=(
            DISCUSS,
            QuestionSpec("Best number to call", QuestionType.PHONE, required=True),
            QuestionSpec(
                "Have you submitted the FAFSA or CSS Profile?",
                QuestionType.SELECT,
                options=("Yes, both", "FAFSA only", "Not yet", "Not applicable (international)"),
            ),
        ),
        resources=(
            ResourceSpec(
                "Understanding your aid offer",
                "/financial-aid/award-letter-guide",
                "How grants, loans and work-study add up.",
            ),
        ),
        weekly_rate=12,
        mean_lead_days=4,
        topics={"financial_aid": 6, "scholarship_deadlines": 3, "housing": 0.5},
    ),
    EventSpec(
        slug="international-advising",
        title="International Student Advising",
        description=(
            "For applicants studying from outside the country: visas, documents, arrival, "
            "housing and how our online and on-campus options fit your plans."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Amara Nwosu",),
        duration=45,
        increment=15,
        notice_hours=48,
        questions=(
            DISCUSS,
            QuestionSpec(
                "Country of citizenship",
                QuestionType.TEXT,
                required=True,
                samples=("Nigeria", "India", "Brazil", "Vietnam", "Germany", "Kenya", "Mexico"),
            ),
            QuestionSpec(
                "Current visa status",
                QuestionType.SELECT,
                options=("No visa yet", "Student visa", "Work visa", "Dependant visa", "Other"),
            ),
        ),
        resources=(
            ResourceSpec(
                "Student visa guide",
                "/international/visa-guide",
                "Documents, timelines and what the interview asks.",
            ),
        ),
        weekly_rate=8,
        mean_lead_days=6,
        topics={
            "visa_immigration": 6,
            "housing": 2,
            "online_vs_in_person": 1.5,
            "transfer_credits": 1,
            "financial_aid": 0.5,
        },
    ),
    EventSpec(
        slug="essay-feedback",
        title="Essay Feedback Session",
        description=(
            "Bring a draft of your personal statement or supplemental essay and work through "
            "structure, voice and editing with a writing tutor."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Sophie Clarke",),
        duration=45,
        notice_hours=48,
        max_weekly=12,
        questions=(
            DISCUSS,
            QuestionSpec(
                "Link to your draft",
                QuestionType.TEXT,
                help_text="Share it so that anyone with the link can comment.",
                samples=(
                    "https://docs.example/d/personal-statement-v3",
                    "https://docs.example/d/why-northwind-draft",
                    "https://drive.example/file/essay-final",
                ),
            ),
            QuestionSpec("Current word count", QuestionType.NUMBER, number_range=(250, 900)),
            QuestionSpec(
                "Which essays?",
                QuestionType.MULTI_SELECT,
                options=(
                    "Personal statement",
                    "Why Northwind",
                    "Scholarship essay",
                    "Activity description",
                ),
            ),
        ),
        resources=(
            ResourceSpec(
                "Personal statement workbook",
                "/files/personal-statement-workbook.pdf",
                "Prompts and examples to get a first draft down.",
            ),
            ResourceSpec(
                "Editing checklist",
                "/writing/editing-checklist",
                "Ten things to check before you submit.",
            ),
        ),
        weekly_rate=10,
        mean_lead_days=5,
        topics={"essay_feedback": 7, "recommendation_letters": 1.5, "scholarship_deadlines": 1},
    ),
    EventSpec(
        slug="stem-tutoring",
        title="STEM Tutoring (1:1)",
        description=(
            "An hour with a maths or science tutor at our Sydney study centre. Bring your "
            "course outline and the problems you're stuck on."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Liam O'Brien",),
        duration=60,
        location_type=LocationType.IN_PERSON,
        location="Northwind Study Centre, Level 4, 55 Clarence St, Sydney NSW 2000",
        notice_hours=24,
        window_days=30,
        lock_timezone=True,
        questions=(
            DISCUSS,
            COURSE_CODE,
            QuestionSpec(
                "Topics to cover",
                QuestionType.MULTI_SELECT,
                options=("Limits", "Derivatives", "Integration", "Probability", "Mechanics"),
            ),
        ),
        resources=(
            ResourceSpec(
                "Finding the study centre",
                "/sydney/study-centre",
                "Entrances, opening hours and where to wait.",
            ),
        ),
        weekly_rate=7,
        mean_lead_days=3,
        topics={"course_prerequisites": 5, "online_vs_in_person": 2, "transfer_credits": 0.5},
    ),
    EventSpec(
        slug="career-coaching",
        title="Career & Internship Coaching",
        description=(
            "Plan your internship search, polish your CV and practise interviews with a "
            "careers adviser."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Hannah Patel",),
        duration=30,
        questions=(
            DISCUSS,
            QuestionSpec(
                "LinkedIn profile",
                QuestionType.TEXT,
                samples=("https://www.linkedin.com/in/student-profile", "n/a"),
            ),
            QuestionSpec(
                "Expected graduation year", QuestionType.NUMBER, number_range=(2026, 2030)
            ),
        ),
        resources=(
            ResourceSpec(
                "CV template", "/careers/cv-template", "A one-page template employers like."
            ),
        ),
        weekly_rate=7,
        mean_lead_days=4,
        topics={"internships": 6, "recommendation_letters": 2, "online_vs_in_person": 0.5},
    ),
    EventSpec(
        slug="scholarship-interview",
        title="Scholarship Interview",
        description=(
            "Shortlisted for a Northwind scholarship? Request an interview slot; the committee "
            "confirms each request within two working days."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Oliver Hughes",),
        duration=30,
        location_type=LocationType.CUSTOM,
        location="Video link sent once your request is approved.",
        notice_hours=72,
        window_days=45,
        max_daily=3,
        require_approval=True,
        questions=(
            QuestionSpec(
                "Which scholarship?",
                QuestionType.SELECT,
                required=True,
                options=("Global Leaders Award", "STEM Excellence", "First Generation Grant"),
            ),
            QuestionSpec(
                "Current GPA (out of 100)", QuestionType.NUMBER, True, number_range=(70, 99)
            ),
            QuestionSpec(
                "Reference number from your shortlisting email",
                QuestionType.TEXT,
                True,
                samples=("SCH-2041", "SCH-2187", "SCH-2230", "SCH-2302", "SCH-2419"),
            ),
        ),
        resources=(
            ResourceSpec(
                "What the committee looks for",
                "/scholarships/interview",
                "Format, panel and sample questions.",
            ),
        ),
        weekly_rate=4,
        mean_lead_days=8,
    ),
    EventSpec(
        slug="partnership-intro",
        title="Partnership Intro Call",
        description=(
            "A first conversation for schools, counsellors and employers interested in "
            "working with Northwind."
        ),
        meeting_type=MeetingType.ONE_ON_ONE,
        hosts=("Rachel Kim",),
        duration=30,
        notice_hours=24,
        questions=(
            ORGANISATION,
            WORK_EMAIL,
            QuestionSpec(
                "Number of students you work with", QuestionType.NUMBER, number_range=(20, 4000)
            ),
            QuestionSpec(
                "Interested in",
                QuestionType.MULTI_SELECT,
                options=(
                    "Dual enrolment",
                    "Internship placements",
                    "Counsellor visits",
                    "Fee discounts",
                ),
            ),
        ),
        resources=(
            ResourceSpec("Partner programme overview", "/partners", "How partnerships work."),
        ),
        weekly_rate=3,
        mean_lead_days=6,
    ),
    EventSpec(
        slug="partnership-discovery",
        title="Partnership Discovery Call",
        description=(
            "Both partnership leads meet your team to scope a programme across the US and UK."
        ),
        meeting_type=MeetingType.COLLECTIVE,
        hosts=("Rachel Kim", "James Whitfield"),
        duration=45,
        notice_hours=48,
        buffer_before=10,
        buffer_after=10,
        questions=(
            ORGANISATION,
            WORK_EMAIL,
            QuestionSpec(
                "Partnership type",
                QuestionType.SELECT,
                required=True,
                options=("School", "Employer", "Education agent", "Other"),
            ),
        ),
        resources=(
            ResourceSpec("Partner case studies", "/partners/case-studies", "What partners built."),
        ),
        weekly_rate=2,
        mean_lead_days=7,
    ),
    EventSpec(
        slug="graduate-interview",
        title="Graduate Programme Interview",
        description=(
            "A panel interview with the programme director and two admissions advisers. "
            "Expect questions about your experience and a short discussion of your portfolio."
        ),
        meeting_type=MeetingType.PANEL,
        hosts=("Maya Thompson", "Oliver Hughes", "Daniel Okafor"),
        duration=60,
        increment=30,
        notice_hours=72,
        window_days=30,
        max_weekly=4,
        buffer_before=15,
        buffer_after=15,
        questions=(
            PROGRAMME,
            QuestionSpec(
                "CV or portfolio link",
                QuestionType.TEXT,
                True,
                samples=("https://portfolio.example/work", "https://docs.example/d/cv-2026"),
            ),
            PHONE,
        ),
        resources=(
            ResourceSpec(
                "Interview format",
                "/graduate/interview-format",
                "Who you'll meet and how the hour is split.",
            ),
        ),
        weekly_rate=3,
        mean_lead_days=8,
    ),
    EventSpec(
        slug="talk-to-admissions",
        title="Talk to Admissions",
        description=(
            "A quick 20-minute call with the next available admissions adviser, wherever "
            "you are: our team covers the Americas, Europe and Asia-Pacific."
        ),
        meeting_type=MeetingType.ROUND_ROBIN,
        hosts=("Daniel Okafor", "Oliver Hughes", "Chloe Nguyen"),
        duration=20,
        increment=20,
        notice_hours=4,
        window_days=30,
        guest_limit=2,
        questions=(DISCUSS, ROLE, PHONE),
        resources=(
            ResourceSpec(
                "Admissions FAQ", "/admissions/faq", "Answers to the questions we hear most."
            ),
        ),
        weekly_rate=18,
        mean_lead_days=3,
        topics={
            "financial_aid": 1.5,
            "visa_immigration": 1.5,
            "transfer_credits": 1.5,
            "scholarship_deadlines": 1,
            "course_prerequisites": 1,
            "housing": 1.5,
            "essay_feedback": 1,
            "recommendation_letters": 1,
            "online_vs_in_person": 1.5,
            "internships": 0.5,
        },
    ),
    EventSpec(
        slug="book-a-tutor",
        title="Book a Tutor",
        description=(
            "Fifty minutes with the first available tutor in maths, science, programming or "
            "academic writing, online."
        ),
        meeting_type=MeetingType.ROUND_ROBIN,
        hosts=("Sophie Clarke", "Liam O'Brien", "Carlos Mendoza"),
        duration=50,
        increment=30,
        notice_hours=12,
        window_days=30,
        max_daily=14,
        questions=(
            DISCUSS,
            SUBJECT,
            QuestionSpec(
                "Year level",
                QuestionType.SELECT,
                options=("High school", "First year", "Second year", "Third year or later"),
            ),
        ),
        resources=(
            ResourceSpec(
                "How to get the most from tutoring",
                "/tutoring/tips",
                "Send your questions in advance and bring your notes.",
            ),
        ),
        weekly_rate=11,
        mean_lead_days=3,
        topics={"course_prerequisites": 4, "online_vs_in_person": 2, "essay_feedback": 2},
    ),
    EventSpec(
        slug="maths-science-office-hours",
        title="Maths & Science Office Hours",
        description=(
            "Drop-in group office hours: bring homework questions and learn alongside other "
            "students. Weekly in New York and Sydney afternoons."
        ),
        meeting_type=MeetingType.GROUP,
        hosts=("Carlos Mendoza", "Liam O'Brien"),
        duration=60,
        capacity=10,
        notice_hours=1,
        window_days=30,
        buffer_before=0,
        buffer_after=15,
        questions=(DISCUSS_OPTIONAL, COURSE_CODE),
        resources=(
            ResourceSpec("Formula sheet", "/files/formula-sheet.pdf", "Handy during the session."),
        ),
        sessions=(
            SessionSpec("Carlos Mendoza", 1, "15:00"),
            SessionSpec("Carlos Mendoza", 3, "17:00"),
            SessionSpec("Liam O'Brien", 2, "15:30"),
        ),
        weekly_rate=0,
        mean_lead_days=4,
        topics={"course_prerequisites": 5, "online_vs_in_person": 2},
    ),
    EventSpec(
        slug="admissions-info-session",
        title="Admissions Info Session",
        description=(
            "A live 45-minute webinar on programmes, applying, costs and student life, with "
            "time for questions. Bring family members."
        ),
        meeting_type=MeetingType.GROUP,
        hosts=("Maya Thompson", "Oliver Hughes"),
        duration=45,
        capacity=20,
        notice_hours=1,
        buffer_before=0,
        buffer_after=15,
        guest_limit=2,
        questions=(
            ROLE,
            QuestionSpec(
                "How did you hear about us?",
                QuestionType.SELECT,
                options=("Search engine", "Social media", "School counsellor", "Friend or family"),
            ),
            DISCUSS_OPTIONAL,
        ),
        resources=(
            ResourceSpec(
                "Programme brochure", "/files/brochure-2027.pdf", "All programmes at a glance."
            ),
            ResourceSpec("Virtual campus tour", "/campus/tour", "Walk around before the session."),
        ),
        sessions=(
            SessionSpec("Maya Thompson", 2, "14:00"),
            SessionSpec("Oliver Hughes", 3, "14:00"),
        ),
        weekly_rate=0,
        mean_lead_days=7,
        topics={
            "financial_aid": 2,
            "housing": 2,
            "online_vs_in_person": 2,
            "scholarship_deadlines": 1,
            "visa_immigration": 1,
            "transfer_credits": 1,
        },
    ),
)
