"""The phrase sections a language pack may hold, each with the help a pack author needs.

Sections are the vocabulary shared by the packs and the detectors: a pack with an unknown
section is rejected, and a test checks that every section is used by some detector.
"""

from __future__ import annotations

AGENT_SECTIONS: dict[str, str] = {
    "greeting": "The agent greets: 'Добрый день', 'Jó napot kívánok', 'Hello'.",
    "introduction": "The agent gives their own name: 'меня зовут', 'a nevem', 'this is'.",
    "department": "The agent names the company or department: 'служба поддержки', 'support team'.",
    "clarifying_question": "A clarifying question: order number, address, what happened, 'уточните'.",
    "confirm_understanding": "Checking understanding: 'правильно ли я вас понял', 'ha jól értem'.",
    "next_steps": "What happens next: 'передам заявку', 'we will call you back', 'zavoláme Vám'.",
    "time_frame": "When it happens: 'в течение двух часов', 'do zítřka', 'by Friday'.",
    "offer_options": "Offering a choice: 'можем предложить два варианта', 'either ... or'.",
    "closing": "Closing formula: 'спасибо за обращение', 'szép napot', 'have a nice day'.",
    "apology": "Apology: 'извините', 'elnézést', 'omlouváme se', 'sorry'.",
    "empathy": "Acknowledging feelings: 'понимаю ваше недовольство', 'I understand how frustrating'.",
    "formal_address": "Formal address: Вы/вас/вам, сіз, Ön/Önnek, Vy/Vám.",
    "informal_address": "Informal address where formal is expected: ты/тебе, сен, te/neked, ty/tobě.",
    "polite_markers": "Courtesy words: пожалуйста, рахмет, kérem, prosím, please.",
    "rudeness": "Rude or sarcastic phrases aimed at the other side: 'вы что, тупой?'.",
    "dismissive": "Dismissive phrases: 'не моя проблема', 'мне всё равно', 'nem az én dolgom'.",
    "insult": "Insults aimed at a person (both sides): 'идиот', 'hülye', 'idiot'.",
    "profanity": "Swear words and obscenity, as roots or regexes (both sides).",
    "dont_know": "A plain 'I don't know': 'не знаю', 'білмеймін', 'nem tudom', 'nevím'.",
    "find_out_promise": "'... but I will find out': 'я уточню и вернусь', 'utánanézek', 'zjistím'.",
    "escalation": "Hand-over to a competent colleague: 'переключу на специалиста', 'přepojím'.",
    "out_of_competence": "The question is outside the agent's competence: 'это не в моей компетенции'.",
    "redirect": "Bringing a chatty customer back: 'Have I answered all your questions?'.",
    "safety_response": "Safety first on a threat: 'вызываю охрану', 'call the police'.",
}

CUSTOMER_SECTIONS: dict[str, str] = {
    "threat": "Threats of violence or damage: 'я вам офис разнесу', 'I know where you live'.",
    "dissatisfaction": "Complaints and dissatisfaction: 'безобразие', 'szégyen', 'worst service'.",
    "manager_request": "The customer asks for a manager or supervisor.",
    "customer_request": "The customer needs a solution or a choice: 'что посоветуете', 'which one'.",
    "clueless": "Does not know what they want or how it works: 'я в этом ничего не понимаю'.",
    "know_it_all": "Lectures the agent: 'я лучше знаю', 'I work in IT, I know'.",
    "offended": "Suspicious, complaining: 'слишком дорого', 'это подделка', 'you are cheating me'.",
    "chatty": "Talk about everything but the request: grandchildren, weather, holidays.",
    "claim_seeker": "Reports damage and wants compensation: 'требую компенсацию', 'kártérítés'.",
}

SECTIONS: dict[str, str] = {**AGENT_SECTIONS, **CUSTOMER_SECTIONS}
